import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { FileSpoolStore } from "../../../core/spooler/file-store.ts";
import { decodeTask, encodeTask, TaskDecodeError } from "../../../core/spooler/task.ts";

const TP = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

test("a task record carries its trace field from enqueue to claim, a task without one has none, and a non-string trace is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mf-trace-unit-"));
  try {
    const store = new FileSpoolStore(dir);
    await store.enqueue({ name: "a", args: {}, trace: TP, priority: 0 });
    await store.enqueue({ name: "b", args: {}, priority: 1 });
    const a = (await store.claim())!;
    assert.equal(a.task.name, "a");
    assert.equal(a.task.trace, TP);
    await store.complete(a);
    const b = (await store.claim())!;
    assert.equal(b.task.name, "b");
    assert.equal("trace" in b.task, false, "no trace key at all when tracing was off");
    await store.complete(b);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const bytes = encodeTask({ v: 1, name: "x", args: null, attempts: 0, enqueuedAt: 1, trace: 5 as any });
  assert.throws(() => decodeTask(bytes), (e: unknown) => e instanceof TaskDecodeError && /trace is not a string/.test((e as Error).message));
});
