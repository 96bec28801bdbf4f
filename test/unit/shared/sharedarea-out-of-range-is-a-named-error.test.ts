import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openSharedArea, SharedAreaError } from "../../../core/sharedarea/index.ts";
import { MulefarmError } from "../../../core/errors.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

test("a sharedarea access out of range is a SharedAreaError naming the position, the length and the size", () => {
  const path = tmpShm("area");
  try {
    const a = openSharedArea(path, 2, { fresh: true, id: 3 });
    assert.equal(a.size, 8192);
    assert.throws(() => a.readLong(8188), (e: unknown) => {
      assert.ok(e instanceof SharedAreaError && e instanceof MulefarmError);
      assert.equal((e as Error).message, "sharedarea 3: position 8188 (+8 bytes) is out of range 0..8191 (size 8192)");
      return true;
    });
    assert.throws(() => a.writeByte(8192, 1), /position 8192 \(\+1 bytes\) is out of range/);
    assert.throws(() => a.read(-1, 4), /position -1 \(\+4 bytes\) is out of range/);
    assert.throws(() => a.write(8190, "abc"), /position 8190 \(\+3 bytes\) is out of range/);
    assert.throws(() => a.writeByte(0, 256), /a byte must be an integer from 0 to 255: got 256/);
    assert.equal(a.readByte(0), 0, "nothing was written");
  } finally {
    cleanup(path);
  }
});

test("sharedarea reads, writes and longs work across segment boundaries and in a second process's view", () => {
  const path = tmpShm("area");
  try {
    const a = openSharedArea(path, 4, { fresh: true, segmentBytes: 4096 });
    const b = openSharedArea(path, 4);
    a.write(4090, "hello, world");
    assert.equal(new TextDecoder().decode(b.read(4090, 12)), "hello, world");
    a.writeLong(8188, -5);
    assert.equal(b.readLong(8188), -5);
    assert.equal(b.incLong(8188, 7), 2);
    a.writeLong(4096, 2 ** 40);
    assert.equal(b.incLong(4096), 2 ** 40 + 1);
    assert.equal(b.decLong(4096, 2), 2 ** 40 - 1);
    a.writeByte(16383, 255);
    assert.equal(b.readByte(16383), 255);
    assert.equal(b.read(16380).length, 4);
  } finally {
    cleanup(path);
  }
});
