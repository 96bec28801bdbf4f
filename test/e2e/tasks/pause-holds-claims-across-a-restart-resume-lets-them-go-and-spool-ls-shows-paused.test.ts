import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { run, sleep, until } from "../lib.ts";
import { STORES, startTasks } from "../tasks-lib.ts";

// `mulefarm spool pause ADDR` stops claims (accepts go on); the state is kept
// in the spool, so a restarted instance still claims nothing; `spool ls`
// says paused; `spool resume` (here: resumeSpooler() in a worker) lets the
// held task run. The stats' spoolers[].paused follows.
for (const kind of STORES) {
  test(`${kind} store: pause holds claims across a restart, resume lets them go, spool ls shows paused`, async () => {
    const t = await startTasks(kind);
    try {
      const p = await run(["spool", "pause", t.address]);
      assert.equal(p.code, 0, p.output);
      const { id } = await t.get("/marker?tag=held");
      assert.ok(id, "spool() is accepted while paused");
      await sleep(1000);
      assert.deepEqual(t.log("marker"), [], "no claim while paused");
      await t.restart();
      await sleep(1500);
      assert.deepEqual(t.log("marker"), [], "still paused after a restart");
      const ls = await run(["spool", "ls", t.address]);
      assert.equal(ls.code, 0, ls.output);
      assert.match(ls.output, /1 pending, 0 running.*\(paused\)/, ls.output);
      await until(async () => (await t.stats()).spoolers[0].paused === true, 10000, "the stats say paused");
      await t.get("/resume");
      await until(() => t.log("marker").includes("held"), 15000, "the held task ran after resume");
      await until(async () => (await t.stats()).spoolers[0].paused === false, 10000, "the stats say resumed");
      const ls2 = await run(["spool", "ls", t.address]);
      assert.doesNotMatch(ls2.output, /paused/, ls2.output);
    } finally {
      await t.stop();
    }
  }, 120_000);
}
