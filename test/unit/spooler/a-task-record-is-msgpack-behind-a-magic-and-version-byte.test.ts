import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { decodeTask, encodeTask } from "../../../core/spooler/task.ts";

test("a task record encodes behind the MFSP magic and version byte and decodes back", () => {
  const rec = { v: 1 as const, name: "x", args: { d: new Date(5) }, attempts: 2, enqueuedAt: 7, lastError: "e" };
  const bytes = encodeTask(rec);
  assert.deepEqual([...bytes.subarray(0, 5)], [0x4d, 0x46, 0x53, 0x50, 1]);
  assert.deepEqual(decodeTask(bytes), rec);
  const future = bytes.slice();
  future[4] = 2;
  assert.throws(() => decodeTask(future), /unsupported task format version 2/);
});
