import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { alive, sleep, until } from "../lib.ts";
import { STORES, startTasks } from "../tasks-lib.ts";

// A running task that ignores its AbortSignal is killed with its spooler
// process once --spooler-cancel-grace (1 s here) has passed, as by
// --spooler-harakiri; the task is not run again (retries left or not), and
// its result is TaskCancelled.
for (const kind of STORES) {
  test(`${kind} store: a cancelled task that ignores its AbortSignal is killed after the grace period and not retried`, async () => {
    const t = await startTasks(kind, ["--spooler-cancel-grace", "1"]);
    try {
      const { id } = await t.get("/stubborn");
      const started = await until(() => t.log("stubborn").find((l) => l.startsWith("start 1 ")), 15000, "the task started");
      const pid = Number(started.split(" ")[2]);
      const c = await t.get(`/cancel?id=${id}`);
      assert.equal(c.was, "running", JSON.stringify(c));
      await until(() => !alive(pid), 20000, "the spooler process was killed");
      const r = await t.get(`/result?id=${id}&timeout=20`);
      assert.equal(r.code, "TaskCancelled", JSON.stringify(r));
      await sleep(1500);
      assert.deepEqual(t.log("stubborn").map((l) => l.split(" ")[0]), ["start"], "never run again, never ended");
    } finally {
      await t.stop();
    }
  }, 90_000);
}
