import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { sleep } from "../lib.ts";
import { startSignals } from "../signal-lib.ts";

test("a '* * * * * *' cron fires once per second", async () => {
  const s = await startSignals(["--mules", "2"], { CRON: "1" });
  try {
    await sleep(3300);
    const ts = s.lines("cron").map((l) => Number(l[3]));
    assert.ok(ts.length >= 2 && ts.length <= 4, `fires in 3.3 s: ${ts.length}`);
    const seconds = ts.map((t) => Math.floor(t / 1000));
    assert.equal(new Set(seconds).size, seconds.length, "never twice in one second");
    for (const t of ts) assert.ok(t % 1000 < 300, `fires near the second boundary: +${t % 1000} ms`);
  } finally { await s.mf.stop(); }
}, 30000);
