import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { FrameReader, FrameWriter } from "../../../core/ipc/frame.ts";

test("frames written in any sizes are read back whole, whatever the chunk boundaries", () => {
  const chunks: Uint8Array[] = [];
  const w = new FrameWriter((c) => { chunks.push(c.slice()); return false; }, () => {});
  const sent: Array<[number, string]> = [];
  for (let i = 0; i < 100; i++) {
    const size = [0, 1, 31, 4096, 70_000][i % 5];
    const body = new Uint8Array(size).map((_, j) => (i + j) & 0xff);
    w.frame(i % 200 + 1, body);
    sent.push([i % 200 + 1, `${size}:${body[0] ?? -1}:${body[size - 1] ?? -1}`]);
  }
  w.frameText(7, Uint8Array.of(1, 2), "héllo ✓ 🐴");
  w.flush();
  const all = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let o = 0;
  for (const c of chunks) { all.set(c, o); o += c.length; }
  for (const step of [1, 3, 4, 5, 4099, 65536]) {
    const got: Array<[number, string]> = [];
    let text = "";
    const r = new FrameReader((kind, body) => {
      if (kind === 7 && body[0] === 1 && body[1] === 2 && body.length > 2) text = new TextDecoder().decode(body.subarray(2));
      else got.push([kind, `${body.length}:${body[0] ?? -1}:${body[body.length - 1] ?? -1}`]);
    });
    for (let off = 0; off < all.length; off += step) r.push(all.subarray(off, off + step));
    assert.deepEqual(got, sent, `chunks of ${step} bytes`);
    assert.equal(text, "héllo ✓ 🐴");
  }
});

test("a frame claiming an absurd length is refused as corrupt", () => {
  const r = new FrameReader(() => {});
  assert.throws(() => r.push(Uint8Array.of(0xff, 0xff, 0xff, 0x7f, 1)), /corrupt IPC frame/);
});
