// uWSGI's sharedarea (`--sharedarea PAGES`, 4096-byte pages): raw bytes in a
// shared memory-mapped file, addressed by position, seen by every process
// that opens the same path.
//
// Layout of the file: a 4 KiB header (Int32 words: [0] magic "MFSA",
// [1] init state, [2] version, [3] pages, [16] (byte 64) lock word, owner pid),
// then PAGES × 4096 data bytes, mapped in ≤ 1 GiB segments (Bun maps at most
// 4 GiB at once, so areas above 4 GiB work too). Position 0 is the first data byte.
//
// Longs are 64-bit signed integers, little-endian (native on x86-64/arm64).
// At a position that is a multiple of 8, readLong/writeLong/incLong are single
// atomic operations (Atomics on a BigInt64Array) and lock-free; elsewhere they
// run under the area's lock word, so they are atomic only with respect to
// other unaligned long operations. Byte and block reads and writes are plain
// memory accesses, like uWSGI's without rlock/wlock.
//
// @example
// const area = openSharedArea(`${shmDir()}/mulefarm-sharedarea-0`, 10);
// area.incLong(0); area.write(16, "hello"); area.read(16, 5);

import { SharedAreaError, refused } from "../errors.ts";
import { acquireWordSync, myPid } from "../locks/index.ts";
import { attachHeader, mapSegments, mapShared, SEGMENT_BYTES } from "../shm/index.ts";

export { SharedAreaError };

export const PAGE_SIZE = 4096;
const HEADER = 4096;
const MAGIC = 0x4153464d; // "MFSA"
const VERSION = 1;
const LOCK = 16;
const enc = new TextEncoder();

export interface SharedAreaOptions {
  /** Unlink an existing file first (the master at start-up). */
  fresh?: boolean;
  /** The area's id in `--sharedarea` order, used in error messages. */
  id?: number;
  /** Data segment size (tests use small ones to cross segment boundaries). */
  segmentBytes?: number;
}

export class SharedArea {
  /** Bytes of the file for `pages` pages (header included). */
  static bytesFor(pages: number): number {
    return HEADER + pages * PAGE_SIZE;
  }

  readonly pages: number;
  /** Usable bytes: pages × 4096. */
  readonly size: number;
  readonly id: number;
  private readonly h: Int32Array;
  private readonly segs: Uint8Array[];
  private readonly longs: BigInt64Array[];
  private readonly dvs: DataView[];
  private readonly per: number;

  /** Use `openSharedArea`; this wires an already-mapped header and data segments. */
  constructor(pages: number, header: Uint8Array, segs: Uint8Array[], id = 0) {
    this.pages = pages;
    this.size = pages * PAGE_SIZE;
    this.id = id;
    this.h = new Int32Array(header.buffer, header.byteOffset, 64);
    this.segs = segs;
    this.per = segs[0].byteLength;
    this.longs = segs.map((s) => new BigInt64Array(s.buffer, s.byteOffset, s.byteLength >> 3));
    this.dvs = segs.map((s) => new DataView(s.buffer, s.byteOffset, s.byteLength));
    attachHeader(this.h, MAGIC, [VERSION, pages], () => {}, (stored) =>
      stored.length === 0
        ? new SharedAreaError(`sharedarea ${id} is still being initialised by another process after 5 s`)
        : new SharedAreaError(`sharedarea ${id} was created with ${stored[1]} pages; this process asked for ${pages}`));
  }

  private check(pos: number, len: number): void {
    if (!Number.isSafeInteger(pos) || pos < 0 || !Number.isSafeInteger(len) || len < 0 || pos + len > this.size) {
      throw new SharedAreaError(`sharedarea ${this.id}: position ${pos} (+${len} bytes) is out of range 0..${this.size - 1} (size ${this.size})`);
    }
  }

  /** Copies `len` bytes from `pos` (default: to the end of the area). */
  read(pos: number, len?: number): Uint8Array {
    const n = len ?? (Number.isSafeInteger(pos) ? this.size - pos : 0);
    this.check(pos, n);
    const out = new Uint8Array(n);
    for (let done = 0; done < n;) {
      const at = pos + done, s = Math.floor(at / this.per), o = at - s * this.per;
      const k = Math.min(n - done, this.per - o);
      out.set(this.segs[s].subarray(o, o + k), done);
      done += k;
    }
    return out;
  }

  /** Writes `data` (bytes, or a string as UTF-8) at `pos`; returns the byte count. */
  write(pos: number, data: string | Uint8Array): number {
    const b = typeof data === "string" ? enc.encode(data) : data;
    if (!(b instanceof Uint8Array)) throw new SharedAreaError(refused(`sharedarea ${this.id}: a write must be bytes or a string`, data));
    this.check(pos, b.length);
    for (let done = 0; done < b.length;) {
      const at = pos + done, s = Math.floor(at / this.per), o = at - s * this.per;
      const k = Math.min(b.length - done, this.per - o);
      this.segs[s].set(b.subarray(done, done + k), o);
      done += k;
    }
    return b.length;
  }

  readByte(pos: number): number {
    this.check(pos, 1);
    const s = Math.floor(pos / this.per);
    return this.segs[s][pos - s * this.per];
  }

  writeByte(pos: number, value: number): void {
    this.check(pos, 1);
    if (!Number.isInteger(value) || value < 0 || value > 255) throw new SharedAreaError(refused(`sharedarea ${this.id}: a byte must be an integer from 0 to 255`, value));
    const s = Math.floor(pos / this.per);
    this.segs[s][pos - s * this.per] = value;
  }

  /** The signed 64-bit integer at `pos` (as a number: exact up to ±2^53). */
  readLong(pos: number): number {
    this.check(pos, 8);
    if (pos % 8 === 0) {
      const s = Math.floor(pos / this.per);
      return Number(Atomics.load(this.longs[s], (pos - s * this.per) >> 3));
    }
    return Number(this.locked(() => this.getUnaligned(pos)));
  }

  writeLong(pos: number, value: number | bigint): void {
    this.check(pos, 8);
    const v = BigInt.asIntN(64, this.toBig(value));
    if (pos % 8 === 0) {
      const s = Math.floor(pos / this.per);
      Atomics.store(this.longs[s], (pos - s * this.per) >> 3, v);
      return;
    }
    this.locked(() => this.setUnaligned(pos, v));
  }

  /** Atomically adds `by` to the long at `pos` and returns the new value. */
  incLong(pos: number, by: number | bigint = 1): number {
    this.check(pos, 8);
    const d = this.toBig(by);
    if (pos % 8 === 0) {
      const s = Math.floor(pos / this.per);
      return Number(BigInt.asIntN(64, Atomics.add(this.longs[s], (pos - s * this.per) >> 3, d) + d));
    }
    return Number(this.locked(() => {
      const v = BigInt.asIntN(64, this.getUnaligned(pos) + d);
      this.setUnaligned(pos, v);
      return v;
    }));
  }

  /** Atomically subtracts `by` (see incLong). */
  decLong(pos: number, by: number | bigint = 1): number {
    return this.incLong(pos, -this.toBig(by));
  }

  private toBig(v: number | bigint): bigint {
    if (typeof v === "bigint") return v;
    if (!Number.isSafeInteger(v)) throw new SharedAreaError(refused(`sharedarea ${this.id}: a long must be an integer`, v));
    return BigInt(v);
  }

  private getUnaligned(pos: number): bigint {
    const s = Math.floor(pos / this.per), o = pos - s * this.per;
    if (o + 8 <= this.per) return this.dvs[s].getBigInt64(o, true);
    const b = this.read(pos, 8);
    return new DataView(b.buffer).getBigInt64(0, true);
  }

  private setUnaligned(pos: number, v: bigint): void {
    const s = Math.floor(pos / this.per), o = pos - s * this.per;
    if (o + 8 <= this.per) return this.dvs[s].setBigInt64(o, v, true);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, v, true);
    this.write(pos, b);
  }

  private locked<T>(fn: () => T): T {
    if (acquireWordSync(this.h, LOCK, myPid, 10_000) < 0) {
      throw new SharedAreaError(`sharedarea ${this.id}: timed out after 10000 ms waiting for its lock (held by pid ${Atomics.load(this.h, LOCK)})`);
    }
    try {
      return fn();
    } finally {
      Atomics.compareExchange(this.h, LOCK, myPid, 0);
    }
  }
}

/** Maps (creating or attaching) a sharedarea of `pages` 4096-byte pages at `path`. */
export function openSharedArea(path: string, pages: number, opts: SharedAreaOptions = {}): SharedArea {
  if (!Number.isSafeInteger(pages) || pages < 1) throw new SharedAreaError(refused("--sharedarea must be a positive number of pages", pages));
  const header = mapShared(path, HEADER, { fresh: opts.fresh });
  const segs = mapSegments(path, HEADER, pages * PAGE_SIZE, PAGE_SIZE, opts.segmentBytes ?? SEGMENT_BYTES);
  return new SharedArea(pages, header, segs, opts.id ?? 0);
}
