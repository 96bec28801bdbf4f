import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { run, sleep, until } from "../lib.ts";
import { STORES, startTasks } from "../tasks-lib.ts";

// A running task is cancelled (from the CLI, another process): its function's
// AbortSignal fires, it ends, its result is TaskCancelled, and it is not
// retried although it has retries left.
for (const kind of STORES) {
  test(`${kind} store: a cancelled running task sees its AbortSignal, ends and is not retried`, async () => {
    const t = await startTasks(kind);
    try {
      const { id } = await t.get("/slow?tag=victim&ms=60000");
      await until(() => t.log("slow").includes("start victim 1"), 15000, "the task started");
      const cli = await run(["spool", "cancel", t.address, id]);
      assert.equal(cli.code, 0, cli.output);
      assert.match(cli.output, /is running: its AbortSignal fires now/);
      const r = await t.get(`/result?id=${id}&timeout=20`);
      assert.equal(r.code, "TaskCancelled", JSON.stringify(r));
      assert.deepEqual(t.log("slow"), ["start victim 1", "aborted victim", "end victim"]);
      await sleep(1500);
      assert.equal(t.log("slow").filter((l) => l.startsWith("start")).length, 1, "not retried");
      const ls = await run(["spool", "ls", t.address]);
      assert.match(ls.output, /0 pending, 0 running, 0 failed/, ls.output);
    } finally {
      await t.stop();
    }
  }, 90_000);
}
