import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, start, stats, tmp, until } from "../lib.ts";

for (const mode of ["lock", "inc", "area"] as const) {
  const what = { lock: "cache counter under lock(1)", inc: "cacheInc", area: "sharedareaIncLong" }[mode];
  test(`two mules adding 10k each with ${what} give exactly 20k`, async () => {
    const [port, sport] = [await freePort(), await freePort()];
    const out = tmp();
    const m = "--mule=test/fixtures/shared/counter-mule.ts";
    const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/shared/app.ts", m, m, "--locks", "1", "--cache2", "name=default,items=100,blocksize=64", "--cache2", "name=small,items=10,blocksize=16", "--sharedarea", "1", "--stats", `127.0.0.1:${sport}`], { env: { OUT: out, MODE: mode } });
    try {
      await until(() => existsSync(`${out}/done-1`) && existsSync(`${out}/done-2`), 30000, "both mules done");
      await until(async () => (await stats(sport)).workers[0].status === "idle", 15000, "the worker that reads the counters");
      const c = await (await fetch(`http://127.0.0.1:${port}/counters`)).json();
      assert.equal(c[mode], 20000);
      const d = await stats(sport);
      assert.ok(d.caches.some((x: any) => x.name === "default"));
    } finally { await mf.stop(); }
  }, 60000);
}
