// uWSGI's --touch-reload: a deploy touches a file and the instance reloads
// gracefully (new worker processes), with no signal sent by hand.
import assert from "node:assert/strict";
import { utimesSync, writeFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, sleep, start, stats, tmp, until } from "../lib.ts";

test("touching a --touch-reload file reloads the workers gracefully, once per touch", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const file = `${tmp("mf-touch-")}.reload`;
  writeFileSync(file, "x");
  const mf = start(["--http", `127.0.0.1:${port}`, "-p", "2", "--module", "examples/hello.ts", "--touch-reload", file, "--stats", `127.0.0.1:${sport}`]);
  const pids = async () => (await stats(sport)).workers.map((w: any) => w.pid).sort();
  try {
    await until(async () => (await stats(sport))?.workers.every((w: any) => w.status === "idle"), 20000, "ready");
    const before = await pids();
    await sleep(1300);
    assert.deepEqual(await pids(), before, "no reload while the file is untouched");
    const t = new Date(Date.now() + 60_000);
    utimesSync(file, t, t);
    await until(async () => { const now = await pids(); return now.every((p: number) => p > 0 && !before.includes(p)) && (await stats(sport)).workers.every((w: any) => w.status === "idle"); }, 15000, "both workers replaced");
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
    const after = await pids();
    await sleep(1300);
    assert.deepEqual(await pids(), after, "one touch, one reload");
    assert.match(mf.output(), /touch-reload .* changed: reloading/);
  } finally { await mf.stop(); }
}, 45000);
