import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { withSpoolDir } from "./support/spool-dir.ts";
import { FileSpoolStore } from "../../../core/spooler/file-store.ts";
import { decodeTask, encodeTask } from "../../../core/spooler/task.ts";

test("Dates, byte arrays, nested data and a body come back unchanged from a task", () =>
  withSpoolDir(async (dir) => {
    const store = new FileSpoolStore(dir);
    const when = new Date("2024-02-29T12:34:56.789Z");
    const blob = new Uint8Array([0, 1, 2, 253, 254, 255]);
    const body = new Uint8Array(100_000).map((_, i) => i % 251);
    const args = { when, blob, list: [1, "two", null, { three: 3.5 }], flag: true, big: 2n ** 70n, text: "h\u00e9llo \u{1f600}" };
    await store.enqueue({ name: "convert", args, body });

    const c = (await store.claim())!;
    assert.ok(c.task.args.when instanceof Date);
    assert.equal(c.task.args.when.getTime(), when.getTime());
    assert.ok(c.task.args.blob instanceof Uint8Array);
    assert.deepEqual([...c.task.args.blob], [...blob]);
    assert.deepEqual(c.task.args.list, args.list);
    assert.equal(c.task.args.big, args.big);
    assert.equal(c.task.args.text, args.text);
    assert.ok(c.task.body instanceof Uint8Array);
    assert.deepEqual(Buffer.from(c.task.body!).equals(Buffer.from(body)), true);
  }));

test("a task record encodes behind the MFSP magic and version byte and decodes back", () => {
  const rec = { v: 1 as const, name: "x", args: { d: new Date(5) }, attempts: 2, enqueuedAt: 7, lastError: "e" };
  const bytes = encodeTask(rec);
  assert.deepEqual([...bytes.subarray(0, 5)], [0x4d, 0x46, 0x53, 0x50, 1]);
  assert.deepEqual(decodeTask(bytes), rec);
  const future = bytes.slice();
  future[4] = 2;
  assert.throws(() => decodeTask(future), /unsupported task format version 2/);
});
