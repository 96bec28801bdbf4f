import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { withSpoolDir } from "./support/spool-dir.ts";
import { FileSpoolStore } from "../../../core/spooler/file-store.ts";

test("a failed task keeps its error and attempts, can be retried by id or all at once, and purged", () =>
  withSpoolDir(async (dir) => {
    const store = new FileSpoolStore(dir);
    const a = await store.enqueue({ name: "a", priority: 2 });
    const b = await store.enqueue({ name: "b" });
    for (const id of [a, b]) {
      const c = (await store.claim())!;
      assert.equal(c.id, id);
      await store.fail(c, `TypeError: ${id} went wrong\n    at somewhere`);
    }
    const listing = await store.list();
    assert.equal(listing.failed.count, 2);
    const fa = listing.failed.entries.find((e) => e.id === a)!;
    assert.equal(fa.task?.lastError, `TypeError: ${a} went wrong`, "one line kept");
    assert.equal(fa.task?.attempts, 1);
    assert.ok(fa.task?.failedAt);

    assert.equal(await store.retryFailed(a), 1);
    assert.equal(await store.retryFailed(a), 0, "already moved");
    const again = (await store.claim())!;
    assert.equal(again.id, a);
    assert.equal(again.task.attempts, 0);
    assert.equal(again.task.priority, 2, "back in its priority level");
    assert.equal(again.task.failedAt, undefined);
    await store.fail(again, "still broken");

    assert.equal(await store.retryFailed("all"), 2);
    assert.equal((await store.list()).pending.count, 2);
    for (let c = await store.claim(); c; c = await store.claim()) await store.fail(c, "x");
    assert.equal(await store.purgeFailed(), 2);
    const end = await store.list();
    assert.equal(end.failed.count + end.pending.count + end.running.count, 0);
  }));
