import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { sleep, tmp } from "../lib.ts";
import { startSignals } from "../signal-lib.ts";

test("filemon on a directory: 20 files written within 50 ms give 1 to 3 signals", async () => {
  const dir = tmp("mf-watch-");
  mkdirSync(dir, { recursive: true });
  const s = await startSignals(["--mules", "2"], { WATCH: dir });
  try {
    await sleep(300);
    for (let i = 0; i < 20; i++) writeFileSync(`${dir}/f${i}`, "x");
    await sleep(800);
    const n = s.lines("filemon").length;
    assert.ok(n >= 1 && n <= 3, `signals: ${n}`);
  } finally { await s.mf.stop(); }
}, 30000);
