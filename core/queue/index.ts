// uWSGI's shared queue (`--queue N`, `--queue-blocksize B`, default 8192): a
// ring of N slots in a shared memory-mapped file, under one lock word.
//
// Layout of the file: a 4 KiB header (Int32 words: [0] magic "MFQ1", [1] init
// state, [2..4] version, slots, blocksize; [16] (byte 64) lock word, owner
// pid; [32] HEAD (oldest slot), [33] COUNT, [34] OVERWRITTEN), then N slots
// of `blocksize` bytes: Int32 used, Int32 length, Float64 push time (ms since
// epoch), then up to blocksize − 16 bytes of data (uWSGI's item header is
// 16 bytes too, so the same sizes fit).
//
// Semantics (uWSGI's, with the ring made consistent):
// - push never fails when full: it overwrites the oldest item, as uWSGI does
//   (`overwritten` in stats counts it). An item larger than blocksize − 16 is
//   a QueueError. Empty items are allowed (uWSGI refuses them).
// - pull takes the oldest item (FIFO), pop the newest (LIFO); both return
//   null when the queue is empty. (uWSGI's pull keeps its own cursor, which
//   stops being FIFO once push has wrapped; here pull always returns the
//   oldest item left.)
// - get(i) / set(i, v) address slot i directly (0..N-1), as uWSGI's. set
//   replaces the slot's content in place and does not change the FIFO order;
//   on an empty slot the value is visible to get(i) only, until a push reuses
//   the slot.
// - last() is the newest item (or null); last(n) the newest n items, newest
//   first. slot() is the slot the next push writes (uWSGI queue_slot),
//   pullSlot() the slot the next pull reads (uWSGI queue_pull_slot).
//
// @example
// const q = openQueue(`${shmDir()}/mulefarm-queue`, 100);
// q.push("job-1"); q.pull(); // Uint8Array "job-1"

import { QueueError, refused } from "../errors.ts";
import { acquireWordSync, myPid } from "../locks/index.ts";
import { attachHeader, MAX_MAPPING_BYTES, mapShared } from "../shm/index.ts";

export { QueueError };

export const DEFAULT_QUEUE_BLOCKSIZE = 8192;
export const QUEUE_ITEM_HEADER = 16;
const HEADER = 4096;
const MAGIC = 0x3151464d; // "MFQ1"
const VERSION = 1;
const LOCK = 16, HEAD = 32, COUNT = 33, OVERWRITTEN = 34;
const enc = new TextEncoder();
const dec = new TextDecoder();

export interface QueueOptions {
  /** Slot size in bytes, header included (default 8192, multiple of 8). */
  blocksize?: number;
  /** Unlink an existing file first (the master at start-up). */
  fresh?: boolean;
}

export interface QueueStats {
  slots: number;
  blocksize: number;
  items: number;
  overwritten: number;
}

export class SharedQueue {
  /** Bytes of the file for `slots` slots of `blocksize`. */
  static bytesFor(slots: number, blocksize = DEFAULT_QUEUE_BLOCKSIZE): number {
    return HEADER + slots * blocksize;
  }

  readonly slots: number;
  readonly blocksize: number;
  /** Largest item: blocksize − 16. */
  readonly maxItem: number;
  private readonly h: Int32Array;
  private readonly mem: Uint8Array;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;

  /** Use `openQueue`; `mem` is a mapped region of `bytesFor(slots, blocksize)` bytes. */
  constructor(mem: Uint8Array, slots: number, blocksize = DEFAULT_QUEUE_BLOCKSIZE) {
    checkSizes(slots, blocksize);
    this.slots = slots;
    this.blocksize = blocksize;
    this.maxItem = blocksize - QUEUE_ITEM_HEADER;
    this.mem = mem;
    this.h = new Int32Array(mem.buffer, mem.byteOffset, 64);
    this.i32 = new Int32Array(mem.buffer, mem.byteOffset, mem.byteLength >> 2);
    this.f64 = new Float64Array(mem.buffer, mem.byteOffset, mem.byteLength >> 3);
    attachHeader(this.h, MAGIC, [VERSION, slots, blocksize], () => {}, (stored) =>
      stored.length === 0
        ? new QueueError(`queue is still being initialised by another process after 5 s`)
        : new QueueError(`queue was created with ${stored[1]} slots of ${stored[2]} bytes; this process asked for ${slots} of ${blocksize}`));
  }

  private base(slot: number): number {
    return HEADER + slot * this.blocksize;
  }

  private checkSlot(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.slots) throw new QueueError(refused(`queue slot out of range 0..${this.slots - 1}`, i));
  }

  private bytes(v: string | Uint8Array): Uint8Array {
    const b = typeof v === "string" ? enc.encode(v) : v;
    if (!(b instanceof Uint8Array)) throw new QueueError(refused("queue items must be bytes or strings", v));
    if (b.length > this.maxItem) throw new QueueError(`item larger than the queue block size allows: ${b.length} > ${this.maxItem} (blocksize ${this.blocksize} − ${QUEUE_ITEM_HEADER})`);
    return b;
  }

  private locked<T>(fn: () => T): T {
    if (acquireWordSync(this.h, LOCK, myPid, 10_000) < 0) {
      throw new QueueError(`timed out after 10000 ms waiting for the queue lock (held by pid ${Atomics.load(this.h, LOCK)})`);
    }
    try {
      return fn();
    } finally {
      Atomics.compareExchange(this.h, LOCK, myPid, 0);
    }
  }

  private writeSlot(slot: number, b: Uint8Array): void {
    const o = this.base(slot);
    this.i32[o >> 2] = 0;
    this.mem.set(b, o + QUEUE_ITEM_HEADER);
    this.i32[(o >> 2) + 1] = b.length;
    this.f64[(o >> 3) + 1] = Date.now();
    this.i32[o >> 2] = 1;
  }

  private readSlot(slot: number): Uint8Array | null {
    const o = this.base(slot);
    if (!this.i32[o >> 2]) return null;
    const n = Math.min(Math.max(this.i32[(o >> 2) + 1], 0), this.maxItem);
    return this.mem.slice(o + QUEUE_ITEM_HEADER, o + QUEUE_ITEM_HEADER + n);
  }

  private take(slot: number): Uint8Array | null {
    const v = this.readSlot(slot);
    this.i32[this.base(slot) >> 2] = 0;
    return v;
  }

  /** Appends an item; when full, the oldest item is overwritten (as uWSGI). Always true. */
  push(v: string | Uint8Array): boolean {
    const b = this.bytes(v);
    this.locked(() => {
      const h = this.h, n = this.slots;
      let head = h[HEAD], count = h[COUNT];
      if (count >= n) {
        // drop the oldest from the window first, so a crash mid-write leaves a consistent ring
        head = (head + 1) % n;
        h[HEAD] = head;
        h[COUNT] = count = n - 1;
        h[OVERWRITTEN]++;
      }
      this.writeSlot((head + count) % n, b);
      h[COUNT] = count + 1;
    });
    return true;
  }

  /** Removes and returns the oldest item (FIFO), or null when empty. */
  pull(): Uint8Array | null {
    return this.locked(() => {
      const h = this.h;
      if (h[COUNT] <= 0) return null;
      const slot = h[HEAD];
      h[HEAD] = (slot + 1) % this.slots;
      h[COUNT]--;
      return this.take(slot);
    });
  }

  /** Removes and returns the newest item (LIFO), or null when empty. */
  pop(): Uint8Array | null {
    return this.locked(() => {
      const h = this.h;
      if (h[COUNT] <= 0) return null;
      const slot = (h[HEAD] + h[COUNT] - 1) % this.slots;
      h[COUNT]--;
      return this.take(slot);
    });
  }

  /** The item in slot `i` (not removed), or null when the slot is empty. */
  get(i: number): Uint8Array | null {
    this.checkSlot(i);
    return this.locked(() => this.readSlot(i));
  }

  /** Replaces the content of slot `i` (see the file comment). Always true. */
  set(i: number, v: string | Uint8Array): boolean {
    this.checkSlot(i);
    const b = this.bytes(v);
    this.locked(() => this.writeSlot(i, b));
    return true;
  }

  /** Without n: the newest item or null. With n: up to n newest items, newest first. */
  last(): Uint8Array | null;
  last(n: number): Uint8Array[];
  last(n?: number): Uint8Array | null | Uint8Array[] {
    if (n === undefined || n === 0) {
      return this.locked(() => {
        const c = this.h[COUNT];
        return c > 0 ? this.readSlot((this.h[HEAD] + c - 1) % this.slots) : null;
      });
    }
    if (!Number.isInteger(n) || n < 0) throw new QueueError(refused("queue last() needs a non-negative integer", n));
    return this.locked(() => {
      const out: Uint8Array[] = [];
      const c = this.h[COUNT], head = this.h[HEAD];
      for (let k = 0; k < Math.min(n, c); k++) {
        const v = this.readSlot((head + c - 1 - k) % this.slots);
        if (v) out.push(v);
      }
      return out;
    });
  }

  /** The slot the next push writes (uWSGI queue_slot). */
  slot(): number {
    return this.locked(() => (this.h[HEAD] + this.h[COUNT]) % this.slots);
  }

  /** The slot the next pull reads (uWSGI queue_pull_slot). */
  pullSlot(): number {
    return Atomics.load(this.h, HEAD);
  }

  /** Items in the queue now. */
  get length(): number {
    return Atomics.load(this.h, COUNT);
  }

  /** Convenience: an item decoded as UTF-8. */
  static text(v: Uint8Array | null): string | null {
    return v === null ? null : dec.decode(v);
  }

  stats(): QueueStats {
    return { slots: this.slots, blocksize: this.blocksize, items: Atomics.load(this.h, COUNT), overwritten: Atomics.load(this.h, OVERWRITTEN) };
  }
}

function checkSizes(slots: number, blocksize: number): void {
  if (!Number.isInteger(blocksize) || blocksize < QUEUE_ITEM_HEADER + 1 || blocksize % 8 !== 0) {
    throw new QueueError(refused(`--queue-blocksize must be a multiple of 8 larger than ${QUEUE_ITEM_HEADER}`, blocksize));
  }
  const max = Math.floor((MAX_MAPPING_BYTES - HEADER) / blocksize);
  if (!Number.isInteger(slots) || slots < 1 || slots > max) throw new QueueError(refused(`--queue must be an integer from 1 to ${max} (with blocksize ${blocksize})`, slots));
}

/** Maps (creating or attaching) a queue of `slots` slots at `path`. */
export function openQueue(path: string, slots: number, opts: QueueOptions = {}): SharedQueue {
  const bs = opts.blocksize ?? DEFAULT_QUEUE_BLOCKSIZE;
  checkSizes(slots, bs);
  const mem = mapShared(path, SharedQueue.bytesFor(slots, bs), { fresh: opts.fresh });
  return new SharedQueue(mem, slots, bs);
}
