// `throw new Unrecoverable(msg)` in a spool task: no retry, no back-off; the
// task moves to DIR/failed/ after its one attempt, with its error kept for
// `mulefarm spool ls|show` (a plain throw would be retried `retries` times).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { run, sleep, until } from "../lib.ts";
import { startControlSpooler } from "../spool-control-lib.ts";

test("a task that throws Unrecoverable runs once and lands in failed/ at once with attempts 1 and its error", async () => {
  const s = await startControlSpooler();
  try {
    const { id } = await s.get("/doomed?why=the%20disk%20is%20gone");
    assert.ok(id, "spooled");
    // Default retries (3), back-off 0.1 s: a retried task would run again within ~0.1 s.
    await until(() => s.files("failed").length === 1, 10000, "the task in failed/");
    await sleep(1500);
    assert.equal(s.log("doomed").length, 1, `one attempt only: ${s.log("doomed")}`);
    assert.equal(s.log("doomed")[0].split(" ")[0], "1", "it was attempt 1");
    assert.deepEqual(s.files("failed").length, 1);
    assert.match(readFileSync(join(s.dir, "failed", s.files("failed")[0])).toString("latin1"), /the disk is gone/);
    assert.match(s.mf.output(), new RegExp(`spool task ${id} \\(doomed\\) failed for good: Unrecoverable: the disk is gone`));

    const ls = await run(["spool", "ls", s.dir]);
    assert.equal(ls.code, 0, ls.output);
    assert.match(ls.output, /0 pending, 0 running, 1 failed, 0 quarantined/);
    assert.match(ls.output, /doomed +attempts 1 .*error: Unrecoverable: the disk is gone/);

    const show = await run(["spool", "show", s.dir, id]);
    assert.equal(show.code, 0, show.output);
    const doc = JSON.parse(show.output.slice(show.output.indexOf("{")));
    assert.equal(doc.state, "failed");
    assert.equal(doc.task.attempts, 1);
    assert.match(doc.task.lastError, /^Unrecoverable: the disk is gone/);
  } finally { await s.mf.stop(); }
}, 30000);
