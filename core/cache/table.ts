// The cache's shared record table: item records, hash index, free list and LRU
// list in the mapped file, with the writer lock and seqlock that guard them and
// the repair after a writer died. Cache (cache.ts) builds the operations on it.
//
// Concurrency: writers take the LOCK word (spin, then sleep; a dead holder is
// taken over) and bump SEQ to odd around every change. Readers take no lock:
// they read SEQ, look up and copy, and retry if SEQ moved (a seqlock), so gets
// run at memory speed from any number of processes. A writer killed mid-change
// leaves SEQ odd: whoever takes the lock next drops the item the writer was
// touching (JOURNAL) and rebuilds the index from the item records, so a crash
// never leaves a half-written value readable.

import { CacheError } from "../errors.ts";
import { acquireWordSync, myPid, pidIsAlive, sleepSync } from "../locks/index.ts";
import { attachHeader } from "../shm/index.ts";
import type { Blocks } from "./blocks.ts";
import {
  BUMP, cacheLayout, COUNT, countAdd, EVICT_LO, F_NEXT_EXPIRY, FLAG_LRU, FREE, hashBytes, INLINE_KEY, JOURNAL, KEY_OFF, LANE_WORDS,
  LANES, LANES_OFF, LOCK, LRU_HEAD, LRU_TAIL, MAGIC, R_EXP_F64, R_HASH, R_KEYLEN, R_NEXT, R_PREV, R_USED, R_VALLEN, REC_BYTES,
  REC_F64, REC_WORDS, SEQ, TABLE_OFF, VERSION,
} from "./layout.ts";
import type { CacheConfig, CacheOpenOptions } from "./config.ts";
import { validateConfig } from "./spec.ts";

export class CacheTable {
  readonly name: string;
  readonly items: number;
  readonly blocksize: number;
  readonly keysize: number;
  readonly defaultExpires: number;
  readonly purgeLru: boolean;
  /** True when this process created (initialised) the shared region. */
  readonly created: boolean;

  protected readonly h: Int32Array; // header words
  protected readonly hu: Uint32Array; // header words, unsigned (counters)
  protected readonly hf: Float64Array; // header doubles
  protected readonly lanes: Uint32Array;
  protected readonly lane: number;
  protected readonly t: Int32Array; // hash index
  private readonly mask: number;
  private readonly m8: Uint8Array; // whole meta region (inline keys)
  private readonly recBase: number; // byte offset of record 0 in m8
  protected readonly r: Int32Array; // records
  protected readonly rf: Float64Array;
  protected readonly vsegs: Uint8Array[];
  protected readonly vdvs: DataView[];
  private readonly vper: number;
  private readonly vstride: number;
  private readonly ksegs: Uint8Array[];
  private readonly kper: number;
  private readonly kstride: number;
  protected readonly kb: Uint8Array; // scratch key
  private readonly onRecovered?: (name: string, deadPid: number) => void;
  private readonly lockTimeoutMs: number;

  /** Use `openCache`; this wires already-mapped regions. */
  constructor(cfg: CacheConfig, meta: Uint8Array, values: Blocks, longKeys: Blocks, opts: CacheOpenOptions & { path?: string } = {}) {
    validateConfig(cfg);
    const L = cacheLayout(cfg);
    this.name = cfg.name;
    this.items = L.items;
    this.blocksize = L.blocksize;
    this.keysize = L.keysize;
    this.defaultExpires = cfg.expires ?? 0;
    this.purgeLru = !!cfg.purgeLru;
    const buf = meta.buffer, base = meta.byteOffset;
    this.h = new Int32Array(buf, base, 1024);
    this.hu = new Uint32Array(buf, base, 1024);
    this.hf = new Float64Array(buf, base, 512);
    this.lanes = new Uint32Array(buf, base + LANES_OFF, LANES * LANE_WORDS);
    this.lane = (myPid % LANES) * LANE_WORDS;
    this.t = new Int32Array(buf, base + TABLE_OFF, L.tableSize * 2);
    this.mask = L.tableSize - 1;
    this.m8 = meta;
    this.recBase = L.recOff;
    this.r = new Int32Array(buf, base + L.recOff, L.items * REC_WORDS);
    this.rf = new Float64Array(buf, base + L.recOff, L.items * REC_F64);
    this.vsegs = values.segs;
    this.vdvs = values.segs.map((s) => new DataView(s.buffer, s.byteOffset, s.byteLength));
    this.vper = values.per;
    this.vstride = values.stride;
    this.ksegs = longKeys.segs;
    this.kper = longKeys.per;
    this.kstride = longKeys.stride;
    this.kb = new Uint8Array(L.keysize + 8);
    this.onRecovered = opts.onRecovered;
    this.lockTimeoutMs = opts.lockTimeoutMs ?? 10_000;
    const params = [VERSION, L.items, L.blocksize, L.keysize, L.tableSize, this.purgeLru ? FLAG_LRU : 0, L.vstride];
    // init: touch the hash index now (it is hit at random by every lookup)
    this.created = attachHeader(this.h, MAGIC, params, () => this.t.fill(0), (stored) => {
      const where = opts.path ? ` in ${opts.path}` : "";
      if (stored.length === 0) return new CacheError(`cache "${this.name}"${where} is still being initialised by another process after 5 s`);
      const s = `items=${stored[1]},blocksize=${stored[2]},keysize=${stored[3]},purge_lru=${stored[5] & FLAG_LRU}`;
      const w = `items=${params[1]},blocksize=${params[2]},keysize=${params[3]},purge_lru=${params[5]}`;
      return new CacheError(`cache "${this.name}"${where} was created with ${s}; this process asked for ${w}`);
    });
  }

  // ---- addressing ---------------------------------------------------------

  /** Segment and offset of slot's value: returns the offset, segment in this.vs. */
  protected vs = 0;
  protected voff(slot: number): number {
    const sg = this.vper >= this.items ? 0 : Math.floor(slot / this.vper);
    this.vs = sg;
    return (slot - sg * this.vper) * this.vstride;
  }

  /** The bytes holding slot's key (klen bytes): inline in the record, or the long-key area. */
  protected ksrc: Uint8Array = new Uint8Array(0);
  protected koff(slot: number, klen: number): number {
    if (klen <= INLINE_KEY) {
      this.ksrc = this.m8;
      return this.recBase + slot * REC_BYTES + KEY_OFF;
    }
    const sg = this.kper >= this.items ? 0 : Math.floor(slot / this.kper);
    this.ksrc = this.ksegs[sg];
    return (slot - sg * this.kper) * this.kstride;
  }

  // ---- locking ----------------------------------------------------------------

  /** Takes the writer lock; repairs the structure if a writer died mid-change. */
  protected lockOnly(): void {
    const got = acquireWordSync(this.h, LOCK, myPid, this.lockTimeoutMs);
    if (got < 0) {
      throw new CacheError(`timed out after ${this.lockTimeoutMs} ms waiting for the lock of cache "${this.name}": held by pid ${Atomics.load(this.h, LOCK)}`);
    }
    // reported after the current operation (a callback that used this cache here would wait for itself)
    if (got > 0 && this.onRecovered) queueMicrotask(() => this.onRecovered!(this.name, got));
    if (Atomics.load(this.h, SEQ) & 1) {
      this.rebuild();
      Atomics.add(this.h, SEQ, 1);
    }
  }
  protected unlockOnly(): void {
    Atomics.compareExchange(this.h, LOCK, myPid, 0);
  }
  protected begin(): void {
    this.lockOnly();
    Atomics.add(this.h, SEQ, 1);
  }
  protected end(): void {
    Atomics.store(this.h, JOURNAL, 0);
    Atomics.add(this.h, SEQ, 1);
    this.unlockOnly();
  }

  /** A reader saw SEQ odd: spin, then sleep, and take over from a dead writer. */
  protected readerWait(attempt: number): void {
    if (attempt < 2000) return;
    const holder = Atomics.load(this.h, LOCK);
    if (holder === 0 || (holder !== myPid && !pidIsAlive(holder, attempt % 64 === 0))) {
      this.lockOnly();
      this.unlockOnly();
      return;
    }
    sleepSync(0.05);
  }

  /** Pid holding the cache's writer lock, 0 when free (for the stats `locks` view). */
  lockHolder(): number {
    return Atomics.load(this.h, LOCK);
  }

  /** Frees the writer lock if `pid` (a reaped child) held it, repairing what it was writing. */
  releaseIfHeldBy(pid: number): boolean {
    if (pid === myPid || Atomics.compareExchange(this.h, LOCK, pid, myPid) !== pid) return false;
    if (Atomics.load(this.h, SEQ) & 1) {
      this.rebuild();
      Atomics.add(this.h, SEQ, 1);
    }
    this.unlockOnly();
    return true;
  }

  // ---- index ------------------------------------------------------------------

  /** Table position of the key in the scratch buffer, or -1. */
  protected find(hash: number, klen: number): number {
    const t = this.t, r = this.r, kb = this.kb, mask = this.mask, items = this.items;
    let p = hash & mask;
    for (let n = 0; n <= mask; n++) {
      const s = t[2 * p + 1];
      if (s === 0) return -1;
      if (t[2 * p] === hash) {
        const slot = s - 1;
        if (slot < items && r[slot * REC_WORDS + R_KEYLEN] === klen) {
          const o = this.koff(slot, klen);
          const src = this.ksrc;
          let i = 0;
          while (i < klen && src[o + i] === kb[i]) i++;
          if (i === klen) return p;
        }
      }
      p = (p + 1) & mask;
    }
    return -1;
  }

  private tableInsert(hash: number, slot: number): void {
    const t = this.t, mask = this.mask;
    let p = hash & mask;
    while (t[2 * p + 1] !== 0) p = (p + 1) & mask;
    t[2 * p] = hash;
    t[2 * p + 1] = slot + 1;
  }

  /** Backward-shift deletion at position p (linear probing, no tombstones). */
  private tableDelete(p: number): void {
    const t = this.t, mask = this.mask;
    let i = p, j = p;
    for (;;) {
      j = (j + 1) & mask;
      if (t[2 * j + 1] === 0) break;
      const k = t[2 * j] & mask;
      // t[j] stays if its home k lies cyclically in (i, j]
      const keep = i <= j ? i < k && k <= j : i < k || k <= j;
      if (!keep) {
        t[2 * i] = t[2 * j];
        t[2 * i + 1] = t[2 * j + 1];
        i = j;
      }
    }
    t[2 * i] = 0;
    t[2 * i + 1] = 0;
  }

  private posOfSlot(slot: number): number {
    const t = this.t, mask = this.mask;
    let p = this.r[slot * REC_WORDS + R_HASH] & mask;
    for (let n = 0; n <= mask; n++) {
      const s = t[2 * p + 1];
      if (s === slot + 1) return p;
      if (s === 0) return -1;
      p = (p + 1) & mask;
    }
    return -1;
  }

  protected expired(slot: number, now: number): boolean {
    const e = this.rf[slot * REC_F64 + R_EXP_F64];
    return e !== 0 && e <= now;
  }

  // ---- LRU list (purgeLru caches only; writer lock held) --------------------------

  private lruUnlink(slot: number): void {
    const r = this.r, h = this.h, b = slot * REC_WORDS;
    const prev = r[b + R_PREV], next = r[b + R_NEXT];
    if (prev) r[(prev - 1) * REC_WORDS + R_NEXT] = next; else h[LRU_HEAD] = next;
    if (next) r[(next - 1) * REC_WORDS + R_PREV] = prev; else h[LRU_TAIL] = prev;
    r[b + R_PREV] = 0;
    r[b + R_NEXT] = 0;
  }
  private lruPushHead(slot: number): void {
    const r = this.r, h = this.h, b = slot * REC_WORDS;
    const head = h[LRU_HEAD];
    r[b + R_PREV] = 0;
    r[b + R_NEXT] = head;
    if (head) r[(head - 1) * REC_WORDS + R_PREV] = slot + 1; else h[LRU_TAIL] = slot + 1;
    h[LRU_HEAD] = slot + 1;
  }
  protected lruTouch(slot: number): void {
    if (this.h[LRU_HEAD] === slot + 1) return;
    this.lruUnlink(slot);
    this.lruPushHead(slot);
  }

  // ---- slots (writer lock held) -----------------------------------------------------

  protected alloc(now: number): number {
    const h = this.h, r = this.r;
    for (let pass = 0; pass < 2; pass++) {
      const f = h[FREE];
      if (f) {
        h[FREE] = r[(f - 1) * REC_WORDS + R_NEXT];
        return f - 1;
      }
      if (h[BUMP] < this.items) return h[BUMP]++;
      if (pass === 0) {
        const next = this.hf[F_NEXT_EXPIRY];
        if (next !== 0 && next <= now) this.sweep(now);
        if (h[FREE] === 0 && this.purgeLru && h[LRU_TAIL]) {
          this.remove(h[LRU_TAIL] - 1, -1);
          countAdd(this.hu, EVICT_LO);
        }
      }
    }
    return -1;
  }

  /** Removes the item in `slot` (table position `p`, or -1 to look it up). */
  protected remove(slot: number, p: number): void {
    if (p < 0) p = this.posOfSlot(slot);
    if (p >= 0) this.tableDelete(p);
    const r = this.r, b = slot * REC_WORDS;
    if (this.purgeLru) this.lruUnlink(slot);
    r[b + R_USED] = 0;
    r[b + R_NEXT] = this.h[FREE];
    this.h[FREE] = slot + 1;
    this.h[COUNT]--;
  }

  /** Drops every expired item and recomputes the next expiry. */
  private sweep(now: number): number {
    const r = this.r, bump = Math.min(this.h[BUMP], this.items);
    let next = 0, dropped = 0;
    for (let s = 0; s < bump; s++) {
      if (!r[s * REC_WORDS + R_USED]) continue;
      const e = this.rf[s * REC_F64 + R_EXP_F64];
      if (e === 0) continue;
      if (e <= now) { this.remove(s, -1); dropped++; }
      else if (next === 0 || e < next) next = e;
    }
    this.hf[F_NEXT_EXPIRY] = next;
    return dropped;
  }

  protected writeItem(slot: number, klen: number, hash: number, v: Uint8Array, exp: number, newKey: boolean): void {
    if (newKey) {
      const o = this.koff(slot, klen);
      const dst = this.ksrc, kb = this.kb;
      if (klen <= INLINE_KEY) for (let i = 0; i < klen; i++) dst[o + i] = kb[i];
      else dst.set(kb.subarray(0, klen), o);
    }
    const vo = this.voff(slot);
    const vseg = this.vsegs[this.vs];
    const n = v.length;
    if (n <= 32) for (let i = 0; i < n; i++) vseg[vo + i] = v[i];
    else vseg.set(v, vo);
    const b = slot * REC_WORDS;
    this.r[b + R_KEYLEN] = klen;
    this.r[b + R_VALLEN] = n;
    this.r[b + R_HASH] = hash;
    this.rf[slot * REC_F64 + R_EXP_F64] = exp;
    if (exp !== 0) {
      const next = this.hf[F_NEXT_EXPIRY];
      if (next === 0 || exp < next) this.hf[F_NEXT_EXPIRY] = exp;
    }
    if (newKey) {
      this.r[b + R_USED] = 1;
      this.tableInsert(hash, slot);
      this.h[COUNT]++;
      if (this.purgeLru) this.lruPushHead(slot);
    } else if (this.purgeLru) this.lruTouch(slot);
  }

  /** After a writer died mid-change: drop its item and rebuild index, free list and LRU from the records. */
  private rebuild(): void {
    const h = this.h, r = this.r;
    const j = h[JOURNAL];
    if (j > 0 && j <= this.items) r[(j - 1) * REC_WORDS + R_USED] = 0;
    h[JOURNAL] = 0;
    this.t.fill(0);
    h[COUNT] = 0; h[FREE] = 0; h[LRU_HEAD] = 0; h[LRU_TAIL] = 0;
    const bump = Math.max(0, Math.min(h[BUMP], this.items));
    h[BUMP] = bump;
    let next = 0;
    for (let s = bump - 1; s >= 0; s--) {
      const b = s * REC_WORDS;
      const klen = r[b + R_KEYLEN], vlen = r[b + R_VALLEN];
      if (r[b + R_USED] && klen >= 0 && klen <= this.keysize && vlen >= 0 && vlen <= this.blocksize) {
        const o = this.koff(s, klen);
        const hash = hashBytes(this.ksrc, o, klen);
        r[b + R_HASH] = hash;
        this.tableInsert(hash, s);
        h[COUNT]++;
        if (this.purgeLru) this.lruPushHead(s);
        const e = this.rf[s * REC_F64 + R_EXP_F64];
        if (e !== 0 && (next === 0 || e < next)) next = e;
      } else {
        r[b + R_USED] = 0;
        r[b + R_NEXT] = h[FREE];
        h[FREE] = s + 1;
      }
    }
    this.hf[F_NEXT_EXPIRY] = next;
  }

}
