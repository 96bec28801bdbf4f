import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { withSpoolDir } from "./support/spool-dir.ts";
import { FileSpoolStore } from "../../../core/spooler/file-store.ts";

test("a retried task counts the attempt, keeps the error and is not claimed before its delay", () =>
  withSpoolDir(async (dir) => {
    const store = new FileSpoolStore(dir);
    const id = await store.enqueue({ name: "flaky" });
    const c = (await store.claim())!;
    const before = Date.now();
    await store.retry(c, { delayMs: 5_000, error: "ECONNRESET" });
    assert.equal(await store.claim(), null);
    const due = (await store.nextDueAt())!;
    assert.ok(due >= before + 5_000 && due <= Date.now() + 5_000);

    const r = (await store.claim(due))!;
    assert.equal(r.id, id, "the id is stable across retries");
    assert.equal(r.task.attempts, 1);
    assert.equal(r.task.lastError, "ECONNRESET");

    await store.retry(r, { delayMs: 0, countAttempt: false }); // SPOOL_RETRY / spoolforever
    assert.equal((await store.claim())!.task.attempts, 1);
  }));
