// `spoolforever(fn)`: after every run the task goes back in the queue (uWSGI's
// spool forever, a task returning SPOOL_RETRY), so it keeps running until the
// instance stops, and is still queued then.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { run, until } from "../lib.ts";
import { startControlSpooler } from "../spool-control-lib.ts";

test("a spoolforever task spooled once runs again after every run (at least 3 runs) and is still queued at stop", async () => {
  const s = await startControlSpooler();
  try {
    const { id } = await s.get("/forever?ms=50");
    assert.ok(id, "spooled");
    await until(() => s.log("forever").length >= 3, 15000, "three runs");
    // Runs one after another, never two at a time, in the spooler process.
    const runs = s.log("forever").map((l) => l.split(" ").map(Number));
    for (let i = 1; i < runs.length; i++) assert.ok(runs[i][1] - runs[i - 1][1] >= 45, `run ${i + 1} started after run ${i} ended: ${runs.map((r) => r[1])}`);
    assert.equal(s.files("failed").length, 0, "nothing failed");
    assert.doesNotMatch(s.mf.output(), /failed for good/);
  } finally { await s.mf.stop(); }
  // One task, still queued after the stop (pending, or in running/ if the stop caught it mid-run).
  const ls = await run(["spool", "ls", s.dir]);
  assert.equal(ls.code, 0, ls.output);
  const m = ls.output.match(/(\d+) pending, (\d+) running, (\d+) failed, (\d+) quarantined/);
  assert.ok(m, ls.output);
  assert.equal(Number(m[1]) + Number(m[2]), 1, `the task is still queued:\n${ls.output}`);
  assert.equal(Number(m[3]) + Number(m[4]), 0, ls.output);
  assert.match(ls.output, /forever +attempts 0/, "spoolforever runs are not failed attempts");
}, 30000);
