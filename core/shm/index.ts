// Shared memory for mulefarm processes: a file mapped MAP_SHARED in whichever
// runtime runs (core/adapter/shm.ts: Bun.mmap under Bun, libc mmap through FFI under Deno).
// Processes that map the same path see the same bytes; Atomics on Int32Array
// and BigInt64Array views of the mapping are atomic across processes.
//
// Files are created sparse (ftruncate): only pages that are touched take
// memory or disk. Put them on tmpfs (`shmDir()`, /dev/shm on Linux) so dirty
// pages are never written back to a disk.
//
// @example
// const u8 = mapShared(`${shmDir()}/mulefarm-1234-locks`, 4096, { fresh: true });
// const words = new Int32Array(u8.buffer, u8.byteOffset, 1024);
// Atomics.add(words, 0, 1);

import { refused } from "../errors.ts";
import process from "node:process";
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, unlinkSync, accessSync, constants } from "node:fs";
import { tmpdir } from "node:os";
import { myPid, pidIsAlive, sleepSync } from "../base/process.ts";

import { shmBackend as backend, shmRuntime } from "../adapter/shm.ts";

export { shmRuntime };

/** Offsets are aligned down to this before mmap (a multiple of every Linux page size). */
export const MAP_ALIGN = 65536;

/** Largest region one `mapShared` call can return in this runtime (Bun: 4 GiB). */
export const MAX_MAPPING_BYTES: number = backend ? backend.MAX_MAPPING_BYTES - MAP_ALIGN : 0;

/**
 * Segment size the engines use to split large regions: 1 GiB, so the same
 * code path runs in both runtimes and a single mapping stays far below Bun's
 * 4 GiB limit.
 */
export const SEGMENT_BYTES = 2 ** 30;

export interface MapOptions {
  /** Byte offset in the file where the returned view starts (any value; aligned internally). */
  offset?: number;
  /** Unlink an existing file first (the master's start-up): old mappings keep the old inode. */
  fresh?: boolean;
}

/** Directory for mapping files: $MULEFARM_SHM_DIR, else /dev/shm when writable, else the temp dir. */
export function shmDir(): string {
  const env = process.env.MULEFARM_SHM_DIR;
  if (env) return env;
  try {
    if (existsSync("/dev/shm")) { accessSync("/dev/shm", constants.W_OK); return "/dev/shm"; }
  } catch { /* fall through */ }
  return tmpdir();
}

/** Creates `path` if missing and grows it (sparse) to at least `size` bytes; never shrinks. */
export function ensureFileSize(path: string, size: number): void {
  const fd = openSync(path, "a+", 0o600);
  try {
    if (fstatSync(fd).size < size) ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
}

/**
 * Maps `size` bytes of `path` (from `offset`) MAP_SHARED and returns them as a
 * Uint8Array. The file is created and grown to `offset + size` if needed.
 * The view may start inside its buffer: build typed views with
 * `new Int32Array(u8.buffer, u8.byteOffset + off, n)`; keep `off` a multiple
 * of the element size and `offset` a multiple of 8 so atomics are aligned.
 * Keep a reference to the array: Bun unmaps it when it is collected.
 */
export function mapShared(path: string, size: number, opts: MapOptions = {}): Uint8Array {
  if (!backend) throw new Error(`shared memory needs Bun or Deno; this runtime has neither`);
  if (!Number.isSafeInteger(size) || size <= 0) throw new RangeError(refused("mapShared size must be a positive integer", size));
  const offset = opts.offset ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(refused("mapShared offset must be a non-negative integer", offset));
  if (size > MAX_MAPPING_BYTES) {
    throw new RangeError(`mapShared size ${size} is larger than one mapping can be in ${shmRuntime} (${MAX_MAPPING_BYTES}): split it into segments`);
  }
  if (opts.fresh) {
    try { unlinkSync(path); } catch (e: any) { if (e?.code !== "ENOENT") throw e; }
  }
  ensureFileSize(path, offset + size);
  const aligned = offset - (offset % MAP_ALIGN);
  const delta = offset - aligned;
  const u8 = backend.mapFile(path, aligned, delta + size);
  return delta ? u8.subarray(delta, delta + size) : u8;
}

/**
 * Maps `size` bytes of `path` from `offset` as consecutive segments of at most
 * `segmentBytes` (rounded down to a multiple of `unit`, so no unit straddles
 * two segments). Used for regions larger than one mapping may be.
 */
export function mapSegments(path: string, offset: number, size: number, unit: number, segmentBytes = SEGMENT_BYTES): Uint8Array[] {
  const per = Math.max(unit, segmentBytes - (segmentBytes % unit));
  const segs: Uint8Array[] = [];
  ensureFileSize(path, offset + size);
  for (let at = 0; at < size; at += per) segs.push(mapShared(path, Math.min(per, size - at), { offset: offset + at }));
  return segs;
}

/** Rounds `n` up to a multiple of `to`. */
export function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

// Header words shared by every engine's region: [0] magic, [1] state, [2..] parameters.
const H_MAGIC = 0, H_STATE = 1, H_PARAMS = 2;
const READY = 1;

/**
 * Create-or-attach for a region whose first Int32 words are a header. The
 * first process to arrive writes `params` and runs `init` (all other callers
 * wait, at most `timeoutMs`); a process that dies while initialising is taken
 * over. Every later caller checks magic and params and gets `mismatch(names)`
 * text when the region was created with other parameters.
 * Returns true when this call initialised the region.
 */
export function attachHeader(
  i32: Int32Array,
  magic: number,
  params: number[],
  init: () => void,
  mismatch: (stored: number[]) => Error,
  timeoutMs = 5000,
): boolean {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const st = Atomics.load(i32, H_STATE);
    if (st === READY) break;
    if (st === 0 || (st < 0 && !pidIsAlive(-st, true))) {
      if (Atomics.compareExchange(i32, H_STATE, st, -myPid) === st) {
        for (let i = 0; i < params.length; i++) Atomics.store(i32, H_PARAMS + i, params[i]);
        init();
        Atomics.store(i32, H_MAGIC, magic);
        Atomics.store(i32, H_STATE, READY);
        return true;
      }
      continue;
    }
    if (Date.now() > deadline) throw mismatch([]);
    sleepSync(0.2);
  }
  const stored = params.map((_, i) => Atomics.load(i32, H_PARAMS + i));
  if (Atomics.load(i32, H_MAGIC) !== magic || stored.some((v, i) => v !== params[i])) throw mismatch(stored);
  return false;
}
