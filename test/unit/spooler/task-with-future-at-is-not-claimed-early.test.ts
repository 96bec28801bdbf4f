import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { withSpoolDir } from "./support/spool-dir.ts";
import { FileSpoolStore } from "../../../core/spooler/file-store.ts";

test("a task with a future `at` is not claimed before that time, and does not hold up due tasks", () =>
  withSpoolDir(async (dir) => {
    const store = new FileSpoolStore(dir);
    const at = Date.now() + 60_000;
    const later = await store.enqueue({ name: "later", at });
    const now = await store.enqueue({ name: "now" });

    const first = await store.claim();
    assert.equal(first?.id, now, "the due task is claimed though enqueued after the future one");
    await store.complete(first!);
    assert.equal(await store.claim(), null);
    assert.equal(await store.claim(at - 1), null);
    assert.equal(await store.nextDueAt(), at, "nextDueAt gives the wake-up time");

    const c = await store.claim(at);
    assert.equal(c?.id, later);
    assert.equal(c?.task.at, at);
    assert.equal(await store.nextDueAt(), null);
  }));
