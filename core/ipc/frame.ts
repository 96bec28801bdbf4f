// Length-prefixed framing, shared by both ends. The writer coalesces frames
// into one buffer per turn of the event loop (or per 64 KiB), because one
// write() per small frame costs ~10x the throughput (research §4).
import { u32le } from "../base/bytes.ts";

export const HEADER = 5; // u32 length + u8 kind
const encoder = new TextEncoder();
const CHUNK = 64 * 1024;

/** Takes a chunk of frames; returns true when it keeps a reference to it (the writer then starts a new buffer). */
export type Sink = (chunk: Uint8Array) => boolean;

// Uninitialised memory: every byte handed on is written first, and zeroing
// (plus fresh pages) for each 64 KiB chunk costs more than the copy into it.
const fresh = (n: number): Uint8Array => Buffer.allocUnsafe(n);
const viewOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Accumulates frames and hands full chunks to `sink`. */
export class FrameWriter {
  private buf = fresh(CHUNK);
  private view = viewOf(this.buf);
  private len = 0;
  private scheduled = false;
  constructor(private sink: Sink, private schedule: (fn: () => void) => void) {}

  /** Reserves room for a frame of `bodyLen` bytes and returns its body offset. */
  private reserve(kind: number, bodyLen: number): number {
    const need = HEADER + bodyLen;
    if (this.len + need > this.buf.length) {
      this.flush();
      if (need > this.buf.length) {
        this.buf = fresh(need);
        this.view = viewOf(this.buf);
      }
    }
    this.view.setUint32(this.len, bodyLen + 1, true);
    this.buf[this.len + 4] = kind;
    const off = this.len + HEADER;
    this.len += need;
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(this.flushScheduled);
    }
    return off;
  }

  /** Queues a frame whose body is `body`. */
  frame(kind: number, body?: Uint8Array): void {
    const n = body ? body.length : 0;
    const off = this.reserve(kind, n);
    if (n) this.buf.set(body!, off);
  }

  /**
   * Queues a frame built in place: `fill` writes `bodyLen` bytes at `off` of
   * `buf`. Saves the intermediate allocation on the hot path.
   */
  frameWith(kind: number, bodyLen: number, fill: (buf: Uint8Array, view: DataView, off: number) => void): void {
    const off = this.reserve(kind, bodyLen);
    fill(this.buf, this.view, off);
  }

  /**
   * Queues a frame of `header` bytes followed by `text` as UTF-8, encoded
   * straight into the output buffer (no intermediate copy).
   */
  frameText(kind: number, header: Uint8Array, text: string): void {
    const max = header.length + text.length * 3;
    const off = this.reserve(kind, max);
    this.buf.set(header, off);
    const { written } = encoder.encodeInto(text, this.buf.subarray(off + header.length, off + max));
    const bodyLen = header.length + written!;
    // Give back what the worst case reserved.
    this.len -= max - bodyLen;
    this.view.setUint32(off - HEADER, bodyLen + 1, true);
  }

  private flushScheduled = () => {
    this.scheduled = false;
    this.flush();
  };

  /** Hands whatever is buffered to the sink now. */
  flush(): void {
    if (this.len === 0) return;
    const out = this.buf.subarray(0, this.len);
    this.len = 0;
    // Reused unless the sink kept it (a socket write queue): a fresh 64 KiB
    // chunk per small flush made a GC pause every ~128 signals.
    if (this.sink(out) || this.buf.length > CHUNK) {
      this.buf = fresh(CHUNK);
      this.view = viewOf(this.buf);
    }
  }
}

export type FrameHandler = (kind: number, body: Uint8Array) => void;

/** Splits a byte stream into frames. Bodies are views: copy to keep them. */
export class FrameReader {
  // A frame cut by a chunk boundary is assembled here; only its bytes are
  // copied, never the rest of the chunk.
  private part: Uint8Array | null = null;
  private partLen = 0;
  private partNeed = 0; // total bytes of the frame being assembled (0: header not complete yet)

  constructor(private onFrame: FrameHandler, private maxFrame = 64 * 1024 * 1024) {}

  push(chunk: Uint8Array): void {
    let off = 0;
    if (this.part) {
      off = this.fill(chunk);
      if (this.part) return; // still incomplete
    }
    const end = chunk.length;
    while (end - off >= HEADER) {
      const n = u32le(chunk, off);
      if (n === 0 || n > this.maxFrame) throw new Error(`corrupt IPC frame: length ${n}`);
      if (end - off - 4 < n) break;
      this.onFrame(chunk[off + 4], chunk.subarray(off + HEADER, off + 4 + n));
      off += 4 + n;
    }
    if (off < end) {
      this.part = new Uint8Array(Math.max(64, end - off));
      this.partLen = 0;
      this.partNeed = 0;
      this.fill(chunk.subarray(off));
    }
  }

  /** Appends to the frame being assembled; dispatches it when complete. Returns bytes used. */
  private fill(chunk: Uint8Array): number {
    let used = 0;
    if (this.partNeed === 0) {
      const take = Math.min(HEADER - this.partLen, chunk.length);
      this.append(chunk.subarray(0, take));
      used = take;
      if (this.partLen < HEADER) return used;
      const n = u32le(this.part!, 0);
      if (n === 0 || n > this.maxFrame) throw new Error(`corrupt IPC frame: length ${n}`);
      this.partNeed = 4 + n;
    }
    const take = Math.min(this.partNeed - this.partLen, chunk.length - used);
    this.append(chunk.subarray(used, used + take));
    used += take;
    if (this.partLen === this.partNeed) {
      const f = this.part!;
      const need = this.partNeed;
      this.part = null;
      this.onFrame(f[4], f.subarray(HEADER, need));
    }
    return used;
  }

  private append(bytes: Uint8Array) {
    const need = this.partLen + bytes.length;
    if (need > this.part!.length) {
      const grown = new Uint8Array(Math.max(need, this.partNeed, this.part!.length * 2));
      grown.set(this.part!.subarray(0, this.partLen));
      this.part = grown;
    }
    this.part!.set(bytes, this.partLen);
    this.partLen = need;
  }
}
