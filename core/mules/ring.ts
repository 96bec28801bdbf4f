// One single-producer single-consumer byte ring in shared memory: the direct
// path of mule messages from one sending process to one mule, with no master
// and no socket in between (two copies per message: the sender's encode into
// the ring, the mule's decode out of it).
//
// Positions are byte counters that only grow (mod 2^32; the capacity is a
// power of two, so `pos & (cap - 1)` is the offset). Three positions:
//   tail   - written by the producer: everything before it is published;
//   read   - the consumer's own cursor (records handed to user code);
//   commit - written by the consumer: records before it are finished, so the
//            producer may overwrite them. A mule that dies restarts at commit,
//            which is what makes delivery at-least-once.
// Record: [u32 payload length][u32 payload type][payload], padded to 8 bytes.
// The type word's low byte is the payload type (PARKED: skip this record), the
// rest counts the consumers that died holding the record (poison messages).
// A length of WRAP says "the rest of the ring is empty, go to offset 0".
//
// Two handshakes use read-modify-write atomics (full barriers) so that a flag
// set by one side and a position published by the other cannot both be missed
// (the store→load reordering every CPU allows): the producer publishes tail
// and then looks at the consumer's sleep flag; the consumer publishes commit
// and then looks at the producer's want flag.
import { readUtf8, utf8Length, writeUtf8 } from "./wire.ts";

export const RING_HEADER_BYTES = 128; // two cache lines: producer's words, consumer's words
const P_TAIL = 0, P_OWNER = 1, P_WRITTEN = 2, P_WANT = 3, P_NEED = 4;
const C_COMMIT = 16, C_COMMITTED = 17, C_READ = 18;
const WRAP = 0xffffffff;
/** A record's payload type once the master parked it: readers skip it. */
export const PARKED = 0xff;

const align8 = (n: number) => (n + 7) & ~7;

/**
 * Ring bytes for `maxCount` messages of 32 bytes, and at least twice the
 * largest record (so one always fits once the ring is half empty); a power
 * of two. Only pages that were written take memory. `extraPerRecord`: bytes
 * every message carries on top (a trace envelope while tracing is on).
 */
export function ringCapacityFor(maxPayload: number, maxCount: number, min = 1 << 20, extraPerRecord = 0): number {
  let cap = min;
  while (cap < 2 * align8(8 + maxPayload + extraPerRecord) || (cap < maxCount * (40 + extraPerRecord) && cap < 64 << 20)) cap *= 2;
  return cap;
}

export class Ring {
  /** Producer's local copy of tail (it is the only writer). */
  private tail: number;
  /** Consumer's cursor: next record to hand out. */
  read: number;
  /** The record `next()` found: its payload type, and where its bytes are in `data`. */
  type = 0;
  start = 0;
  len = 0;
  private readonly mask: number;
  private readonly view: DataView;

  constructor(
    /** The ring's header words (RING_HEADER_BYTES / 4 of them). */
    private readonly w: Uint32Array,
    /** The ring's data bytes (`cap` of them). */
    readonly data: Uint8Array,
    readonly cap: number,
    /** Most messages published and not yet finished (--mule-queue). */
    readonly maxCount = 0xffffffff,
  ) {
    this.mask = cap - 1;
    this.view = new DataView(data.buffer, data.byteOffset, cap);
    this.tail = Atomics.load(w, P_TAIL);
    this.read = Atomics.load(w, C_COMMIT);
  }

  // ------------------------------------------------------------- producer

  get owner(): number {
    return Atomics.load(this.w, P_OWNER);
  }

  /** Takes the producer side for `pid` if it is free (or held by `takeFrom`). */
  claim(pid: number, takeFrom = 0): boolean {
    if (Atomics.compareExchange(this.w, P_OWNER, takeFrom, pid) !== takeFrom) return false;
    this.tail = Atomics.load(this.w, P_TAIL); // continue after whatever the last owner published
    return true;
  }

  /** Gives the producer side up if `pid` holds it (the master, for a process that is gone). */
  release(pid: number): boolean {
    return Atomics.compareExchange(this.w, P_OWNER, pid, 0) === pid;
  }

  /** Writes one record; false when the ring has no room for it now (nothing written). */
  tryWrite(type: number, msg: string | Uint8Array): boolean {
    const cap = this.cap;
    let tail = this.tail;
    if (((this.w[P_WRITTEN] - this.w[C_COMMITTED]) >>> 0) >= this.maxCount) return this.full(0);
    const free = cap - ((tail - Atomics.load(this.w, C_COMMIT)) >>> 0);
    let off = tail & this.mask;
    const contig = cap - off;
    const text = typeof msg === "string";
    // A string's UTF-8 size is at most 3× its length: when that surely fits,
    // encode straight into the ring without measuring first.
    let n = text ? -1 : msg.length;
    if (text && 8 + msg.length * 3 > (contig < free ? contig : free)) n = utf8Length(msg);
    if (n >= 0) {
      const rec = align8(8 + n);
      if (rec > contig) {
        if (contig + rec > free) return this.full(contig + rec);
        this.view.setUint32(off, WRAP, true);
        tail = (tail + contig) >>> 0;
        off = 0;
      } else if (rec > free) return this.full(rec);
    }
    if (text) n = writeUtf8(this.data, msg, off + 8, cap - off - 8);
    else this.data.set(msg, off + 8);
    this.view.setUint32(off, n, true);
    this.view.setUint32(off + 4, type, true);
    this.tail = tail = (tail + align8(8 + n)) >>> 0;
    this.w[P_WRITTEN]++; // wraps mod 2^32 (Uint32Array)
    Atomics.exchange(this.w, P_TAIL, tail);
    return true;
  }

  private full(need: number): false {
    this.w[P_NEED] = need;
    return false;
  }

  /**
   * Asks the consumer to say when room was made. Call after a failed
   * tryWrite(), then try once more: the consumer may have made room just
   * before the flag was up.
   */
  wantSpace(): void {
    Atomics.exchange(this.w, P_WANT, 1);
  }

  // ------------------------------------------------------------- consumer

  /** Restarts reading at the first unfinished record (a new consumer process). */
  rewind(): void {
    this.read = Atomics.load(this.w, C_COMMIT);
    this.w[C_READ] = this.read;
  }

  /** True when a published record waits after the consumer's cursor. */
  hasData(): boolean {
    return Atomics.load(this.w, P_TAIL) !== this.read;
  }

  /** Moves to the next published record (sets type/start/len); false when there is none. */
  next(): boolean {
    let read = this.read;
    if (read === Atomics.load(this.w, P_TAIL)) return false;
    let off = read & this.mask;
    let n = this.view.getUint32(off, true);
    if (n === WRAP) {
      read = (read + this.cap - off) >>> 0;
      off = 0;
      n = this.view.getUint32(0, true);
    }
    if (n > this.cap - off - 8) throw new RangeError(`mule ring record at ${off} claims ${n} bytes, more than the ring holds (${this.cap}): the ring is corrupt`);
    this.type = this.view.getUint32(off + 4, true) & 0xff;
    this.start = off + 8;
    this.len = n;
    this.read = (read + align8(8 + n)) >>> 0;
    this.w[C_READ] = this.read;
    return true;
  }

  /** The current record's payload as a string (decoded now: the bytes may be overwritten once committed). */
  text(): string {
    return readUtf8(this.data, this.start, this.start + this.len);
  }

  /** The current record's payload, copied out. */
  bytes(): Uint8Array {
    return this.data.slice(this.start, this.start + this.len);
  }

  /**
   * Finishes every record before `pos`. True when the producer is waiting for
   * room and now has enough: the caller tells it (once; the flag is cleared).
   */
  commit(pos: number): boolean {
    this.w[C_COMMITTED]++;
    Atomics.exchange(this.w, C_COMMIT, pos);
    if (Atomics.load(this.w, P_WANT) !== 1) return false;
    // Wait for half the ring (or what the producer needs): one wake-up moves a batch.
    const free = this.cap - ((Atomics.load(this.w, P_TAIL) - pos) >>> 0);
    const need = Math.min(this.cap, Math.max(this.cap >> 1, this.w[P_NEED]));
    if (free < need || this.queued > this.maxCount >>> 1) return false;
    return Atomics.compareExchange(this.w, P_WANT, 1, 0) === 1;
  }

  /** True when the producer asked for room and there is room (a new consumer checks once). */
  producerWaiting(): boolean {
    return Atomics.load(this.w, P_WANT) === 1 && Atomics.compareExchange(this.w, P_WANT, 1, 0) === 1;
  }

  // ---------------------------------------------------------------- stats

  /** Messages published and not yet finished. */
  get queued(): number {
    return (this.w[P_WRITTEN] - this.w[C_COMMITTED]) >>> 0;
  }

  /** Messages finished by the consumer, ever (mod 2^32). */
  get finished(): number {
    return this.w[C_COMMITTED];
  }

  /** Records handed out but not finished: what a consumer that died was working on. */
  handedOut(): number {
    let k = 0;
    this.eachHandedOut(() => { k++; });
    return k;
  }

  /**
   * The master, for a consumer that died (before any successor reads): counts
   * one more death against each record it had handed out; a record held by
   * more than `max` dead consumers is given to `park` (a copy) and marked
   * PARKED, so readers skip it. Returns how many were parked.
   */
  chargeHandedOut(max: number, park: (type: number, payload: Uint8Array, deliveries: number) => void): number {
    let parked = 0;
    this.eachHandedOut((off, n) => {
      const word = this.view.getUint32(off + 4, true);
      const type = word & 0xff;
      if (type === PARKED) return;
      const tries = (word >>> 8) + 1;
      if (tries > max) {
        park(type, this.data.slice(off + 8, off + 8 + n), tries);
        this.view.setUint32(off + 4, ((tries << 8) | PARKED) >>> 0, true);
        parked++;
      } else this.view.setUint32(off + 4, ((tries << 8) | type) >>> 0, true);
    });
    return parked;
  }

  private eachHandedOut(fn: (off: number, len: number) => void): void {
    let pos = Atomics.load(this.w, C_COMMIT);
    const read = this.w[C_READ];
    let k = 0;
    while (pos !== read && k < 1 << 20) {
      const off = pos & this.mask;
      const n = this.view.getUint32(off, true);
      if (n === WRAP) { pos = (pos + this.cap - off) >>> 0; continue; }
      fn(off, n);
      pos = (pos + align8(8 + n)) >>> 0;
      k++;
    }
  }
}
