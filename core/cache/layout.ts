// The cache file's layout: word offsets and sizes, cacheLayout(cfg), the key
// hash and the 64-bit counters kept in pairs of Uint32 words.
//
// Memory layout of the file (all integers native little-endian):
//
//   0      header, 4 KiB (Int32 words)
//            [0] magic "MFC1"  [1] init state (0 new, -pid initialising, 1 ready)
//            [2..8] version, items, blocksize, keysize, tableSize, flags, value stride
//            [16] (byte 64)  LOCK: writer lock word, owner pid (core/locks)
//            [32] (byte 128) SEQ: seqlock counter, odd while a writer changes anything
//            [48..] COUNT, BUMP (slots ever used), FREE (free-list head, slot+1),
//                   LRU_HEAD, LRU_TAIL (slot+1), JOURNAL (slot+1 being written),
//                   FULL lo/hi, EVICTED lo/hi
//            Float64 [32] (byte 256) NEXT_EXPIRY ms (lower bound), [33] LAST_MODIFIED ms
//   4 KiB  counter lanes: 64 × 64 bytes, Uint32 [hits lo, hits hi, miss lo, miss hi];
//          a process counts in lane pid % 64 (no cache-line ping-pong between readers)
//   8 KiB  hash index: tableSize (power of two ≥ 2 × items) × [Int32 hash, Int32 slot+1],
//          open addressing with linear probing and backward-shift deletion (no tombstones)
//   …      item records: items × 96 bytes: Int32 used, keylen, vallen, hash, lru prev,
//          lru/free next; Float64 expires (ms since epoch, 0 = never); then the key
//          itself when it is at most 64 bytes (most keys: no extra page to touch)
//   META   (64 KiB aligned) values: items × align8(blocksize), the value at the start
//          of its slot's block
//   …      long keys: items × align8(keysize), used only by keys longer than 64 bytes
//   Both big areas are mapped in ≤ 1 GiB segments (Bun maps at most 4 GiB at once).
//
// The file is sparse: only touched pages use memory, so items=100000 with the
// default 64 KiB blocks is a 6.8 GB file that costs about one 4 KiB page per
// stored item (like uWSGI, whose items also own a 64 KiB block each), and with
// blocksize=64 about 160 bytes per item. The creator touches the hash index at
// start-up (16 bytes per item) so the first sets do not fault on it.

import { alignUp } from "../shm/index.ts";
import { type CacheConfig, DEFAULT_BLOCKSIZE, DEFAULT_KEYSIZE } from "./config.ts";


export const MAGIC = 0x3143464d; // "MFC1"
export const VERSION = 2;
export const LOCK = 16, SEQ = 32;
export const COUNT = 48, BUMP = 49, FREE = 50, LRU_HEAD = 51, LRU_TAIL = 52, JOURNAL = 53;
export const FULL_LO = 54, EVICT_LO = 56;
export const F_NEXT_EXPIRY = 32, F_LAST_MOD = 33;
export const LANES_OFF = 4096, LANES = 64, LANE_WORDS = 16;
export const TABLE_OFF = 8192;
export const REC_BYTES = 96, REC_WORDS = 24, REC_F64 = 12;
export const R_USED = 0, R_KEYLEN = 1, R_VALLEN = 2, R_HASH = 3, R_PREV = 4, R_NEXT = 5, R_EXP_F64 = 3;
export const KEY_OFF = 32; // inline key inside a record
/** Keys up to this many bytes live in their item record. */
export const INLINE_KEY = 64;
export const FLAG_LRU = 1;

/** Where everything lives in the cache file for a configuration (see the file comment). */
export function cacheLayout(cfg: CacheConfig) {
  const items = cfg.items;
  const blocksize = cfg.blocksize ?? DEFAULT_BLOCKSIZE;
  const keysize = cfg.keysize ?? DEFAULT_KEYSIZE;
  let tableSize = 8;
  while (tableSize < items * 2) tableSize *= 2;
  const recOff = TABLE_OFF + tableSize * 8;
  const meta = alignUp(recOff + items * REC_BYTES, 65536);
  const vstride = alignUp(Math.max(blocksize, 8), 8);
  const kstride = alignUp(keysize, 8);
  const values = items * vstride;
  const longKeys = keysize > INLINE_KEY ? items * kstride : 0;
  return { items, blocksize, keysize, tableSize, recOff, meta, vstride, kstride, values, longKeys, total: meta + values + longKeys };
}

function fmix(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** FNV-1a over bytes, finalised with murmur3's fmix32. */
export function hashBytes(b: Uint8Array, off: number, len: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ b[off + i], 0x01000193);
  return fmix(h);
}

export function countAdd(u32: Uint32Array, i: number): void {
  if (Atomics.add(u32, i, 1) === 0xffffffff) Atomics.add(u32, i + 1, 1);
}
export function countGet(u32: Uint32Array, i: number): number {
  return Atomics.load(u32, i + 1) * 2 ** 32 + Atomics.load(u32, i);
}
