import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { STORES, startTasks } from "../tasks-lib.ts";

// A request handler spools a task and awaits taskResult(id): it gets the
// function's return value; a task that throws past its retries rejects the
// handler's await with its error (class by code, message kept).
for (const kind of STORES) {
  test(`${kind} store: a handler awaiting taskResult gets the return value, or the error after the retries`, async () => {
    const t = await startTasks(kind);
    try {
      const ok = await t.get("/double?n=21");
      assert.deepEqual(ok.result, { twice: 42 }, JSON.stringify(ok));
      const bad = await t.get("/broken?why=always");
      assert.equal(bad.code, "RangeError", JSON.stringify(bad));
      assert.equal(bad.error, "broken: always");
      assert.deepEqual(t.log("broken"), ["1", "2"], "run, retried once, then failed");
    } finally {
      await t.stop();
    }
  }, 90_000);
}
