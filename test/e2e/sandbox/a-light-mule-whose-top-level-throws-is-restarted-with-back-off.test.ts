// A sandboxed light mule whose script throws at its top level used to be
// restarted once a second forever. It now backs off as a process mule does
// (at once, then 100 ms doubling up to 10 s), one line per restart, and the
// instance runs on.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { start, tmp } from "../lib.ts";

test("a light mule whose top level throws is restarted at once, then after 100, 200, 400, 800 ms, one line each", async () => {
  const dir = tmp();
  writeFileSync(join(dir, "throws.ts"), 'throw new Error("top-level boom");\n');
  const mf = start([`--mule=sandbox:${join(dir, "throws.ts")}`]);
  try {
    const t0 = Date.now();
    await mf.waitFor(/died 6 times in a row/, 20000);
    // 0 + 100 + 200 + 400 + 800 ms of waiting before the 6th death.
    assert.ok(Date.now() - t0 >= 1500, `6 deaths in ${Date.now() - t0} ms`);
    const lines = mf.output().split("\n");
    const restarts = lines.filter((l) => /\[mule 1\] died; restarting/.test(l)).map((l) => l.replace(/^.*\[mule 1\] /, ""));
    assert.deepEqual(restarts.slice(0, 6), [
      "died; restarting",
      "died; restarting in 100 ms (died 2 times in a row)",
      "died; restarting in 200 ms (died 3 times in a row)",
      "died; restarting in 400 ms (died 4 times in a row)",
      "died; restarting in 800 ms (died 5 times in a row)",
      "died; restarting in 1600 ms (died 6 times in a row)",
    ]);
    assert.equal(lines.filter((l) => /\[mule 1\] Error: top-level boom$/.test(l)).length, restarts.length, mf.output());
    assert.equal(mf.proc.exitCode, null, "the instance runs on");
  } finally { await mf.stop(); }
}, 60000);
