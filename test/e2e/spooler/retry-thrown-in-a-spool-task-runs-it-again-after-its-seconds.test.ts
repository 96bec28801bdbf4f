// `throw new Retry(s)` in a spool task asks for another run s seconds later
// (not after the task's own back-off, and not as a failure that ends in failed/).
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { run, sleep, until } from "../lib.ts";
import { startControlSpooler } from "../spool-control-lib.ts";

test("a task that throws Retry(2) runs again about 2 s later and then completes", async () => {
  const s = await startControlSpooler();
  try {
    // back-off 0.1 s: were Retry's seconds ignored, the second run would come ~0.1 s later.
    const { id } = await s.get("/later?s=2&backoff=0.1");
    assert.ok(id, "spooled");
    await until(() => s.log("later").length >= 1, 10000, "first run");
    assert.equal(s.files("failed").length, 0, "a Retry is not a failure");
    await until(() => s.log("later").length >= 2, 10000, "second run");
    const [t1, t2] = s.log("later").map(Number);
    const gap = t2 - t1;
    assert.ok(gap >= 1900 && gap <= 3500, `second run ${gap} ms after the first (asked: 2000)`);
    // It completed on the second run: gone from the queue, not failed, not run a third time.
    await until(() => s.files("failed").length === 0 && s.files("running").length === 0, 5000, "settled");
    await sleep(1000);
    assert.equal(s.log("later").length, 2);
    const ls = await run(["spool", "ls", s.dir]);
    assert.equal(ls.code, 0, ls.output);
    assert.match(ls.output, /0 pending, 0 running, 0 failed, 0 quarantined/);
    assert.doesNotMatch(s.mf.output(), /failed for good/);
  } finally { await s.mf.stop(); }
}, 30000);
