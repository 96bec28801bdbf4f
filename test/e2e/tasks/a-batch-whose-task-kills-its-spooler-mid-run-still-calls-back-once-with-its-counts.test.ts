import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { sleep, until } from "../lib.ts";
import { STORES, startTasks } from "../tasks-lib.ts";

// A batch survives a crash like its tasks: a member SIGKILLs its spooler
// process on its first run; the task runs again in the respawned process,
// and the batch's onComplete runs once, with every member counted once.
for (const kind of STORES) {
  test(`${kind} store: a batch whose task kills its spooler mid-run still calls back once with its counts`, async () => {
    const t = await startTasks(kind);
    try {
      const b = await t.get("/batch-crash");
      assert.equal(b.ids?.length, 3, JSON.stringify(b));
      await until(() => t.log("batchDone").length >= 1, 30000, "the batch callback ran");
      await sleep(1000);
      assert.deepEqual(t.log("batchDone"), ["crash 3/3/0"]);
      assert.deepEqual(t.log("crashOnce"), ["1", "1"], "killed once, run again");
    } finally {
      await t.stop();
    }
  }, 90_000);
}
