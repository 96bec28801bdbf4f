import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { withSpoolDir } from "./support/spool-dir.ts";
import { FileSpoolStore } from "../../../core/spooler/file-store.ts";
import { SpoolError } from "../../../core/errors.ts";

test("a second task with the same key is refused while the first is pending or running, accepted after", () =>
  withSpoolDir(async (dir) => {
    const store = new FileSpoolStore(dir);
    const other = new FileSpoolStore(dir); // another process
    const first = await store.enqueue({ name: "sync", key: "user-42" });

    await assert.rejects(other.enqueue({ name: "sync", key: "user-42" }), (e: unknown) => {
      assert.ok(e instanceof SpoolError);
      assert.equal((e as Error).message, `a task with key "user-42" is already pending: ${first}`);
      return true;
    });

    const c = (await store.claim())!;
    assert.equal(c.id, first);
    await assert.rejects(other.enqueue({ name: "sync", key: "user-42" }), SpoolError, "refused while running");
    await store.retry(c, { delayMs: 0 });
    await assert.rejects(other.enqueue({ name: "sync", key: "user-42" }), SpoolError, "refused while waiting for a retry");

    const again = (await store.claim())!;
    assert.equal(again.id, first);
    await store.complete(again);
    await other.enqueue({ name: "sync", key: "user-43" }); // other keys are fine
    const second = await other.enqueue({ name: "sync", key: "user-42" });

    const c2 = (await store.claim())!;
    assert.equal(c2.task.key, "user-43");
    const c3 = (await store.claim())!;
    assert.equal(c3.id, second);
    await store.fail(c3, "boom");
    await other.enqueue({ name: "sync", key: "user-42" }); // a failed task no longer holds its key
    await assert.rejects(store.enqueueMany([{ name: "a", key: "dup" }, { name: "b", key: "dup" }]), SpoolError, "duplicate inside one batch");
    assert.equal((await store.list()).pending.count, 1, "a refused batch writes nothing");
  }));
