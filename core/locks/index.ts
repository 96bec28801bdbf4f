// Cross-process locks on shared memory (uWSGI `--locks N`: ids 0..N, lock 0
// always exists). One Int32 word per lock, on its own 64-byte line, holds the
// owner's pid (0 = free); acquiring is Atomics.compareExchange(0 → pid).
//
// Waiting: Atomics.wait cannot sleep on a mapped file, so a waiter spins
// briefly, then backs off (async: setImmediate rounds, then 1 ms timers;
// sync: Atomics.wait on a private SharedArrayBuffer, 20 µs doubling to 1 ms).
//
// Robustness (uWSGI's robust mutexes): a waiter that finds the holder dead
// (kill(pid, 0) → ESRCH, or a zombie in /proc) takes the lock over with a
// compareExchange(deadPid → myPid) and reports it through `onRecovered`; the
// master also calls `releaseAllOf(pid)` when it reaps a child. A recycled pid
// (a new process given the dead holder's number before anyone noticed) would
// look alive: `releaseAllOf` at reap time is what closes that window.
//
// Not re-entrant, like uWSGI. Two async tasks of one process exclude each other
// (the second `await lock(n)` waits); `lockSync` on a lock this process already
// holds throws instead of deadlocking. Worker threads share their process's
// pid, so they count as the same owner for `unlock` checks.
//
// @example
// const locks = openLocks(`${shmDir()}/mulefarm-locks`, 4, { onRecovered: (n, pid) => log(`lock ${n} recovered from dead pid ${pid}`) });
// await locks.lock(1); try { ... } finally { locks.unlock(1); }

import { LockError, refused } from "../errors.ts";
import { mapShared, type MapOptions } from "../shm/index.ts";
import { myPid, pidIsAlive, sleepAsync, sleepSync } from "../base/process.ts";

export { myPid, pidIsAlive, sleepSync, sleepAsync } from "../base/process.ts";

/** Bytes between two lock words (one cache line each: no false sharing). */
export const LOCK_STRIDE = 64;
const WORDS = LOCK_STRIDE / 4;

const SPIN = 1000; // loads before backing off (a few µs)
const IMMEDIATE_ROUNDS = 200; // async: setImmediate rounds (~2-5 µs each) before 1 ms timers
const ZOMBIE_EVERY_MS = 50; // how often a waiter also reads /proc for a zombie holder

/** The uncontended path of both acquires: one compare-and-swap, then a short spin. True when taken. */
function takeFast(w: Int32Array, i: number, pid: number): boolean {
  let h = Atomics.compareExchange(w, i, 0, pid);
  if (h === 0) return true;
  if (h !== pid) {
    for (let k = 0; k < SPIN; k++) {
      if (Atomics.load(w, i) === 0 && (h = Atomics.compareExchange(w, i, 0, pid)) === 0) return true;
    }
  }
  return false;
}

/**
 * Acquires the lock word `w[i]` for `pid`, blocking the thread. Returns 0 when
 * taken normally, the dead holder's pid when taken over from a dead process,
 * or -1 after `timeoutMs`. The building block of every synchronous engine
 * (cache, queue, sharedarea).
 */
export function acquireWordSync(w: Int32Array, i: number, pid = myPid, timeoutMs = Infinity): number {
  if (takeFast(w, i, pid)) return 0;
  let h: number;
  const start = Date.now();
  let lastZombieCheck = start;
  let nap = 0.02;
  for (;;) {
    h = Atomics.load(w, i);
    if (h === 0) {
      if ((h = Atomics.compareExchange(w, i, 0, pid)) === 0) return 0;
      continue;
    }
    const now = Date.now();
    const zombies = now - lastZombieCheck >= ZOMBIE_EVERY_MS;
    if (zombies) lastZombieCheck = now;
    if (h !== pid && !pidIsAlive(h, zombies)) {
      if (Atomics.compareExchange(w, i, h, pid) === h) return h;
      continue;
    }
    if (now - start >= timeoutMs) return -1;
    sleepSync(nap);
    nap = Math.min(nap * 2, 1);
  }
}

/** Async twin of `acquireWordSync`: never blocks the event loop for more than a short spin. */
export async function acquireWordAsync(w: Int32Array, i: number, pid = myPid, timeoutMs = Infinity): Promise<number> {
  if (takeFast(w, i, pid)) return 0;
  let h: number;
  const start = Date.now();
  let lastZombieCheck = start;
  for (let round = 0; ; round++) {
    h = Atomics.load(w, i);
    if (h === 0) {
      if ((h = Atomics.compareExchange(w, i, 0, pid)) === 0) return 0;
      continue;
    }
    const immediate = round < IMMEDIATE_ROUNDS;
    if (!immediate || round % 16 === 0) {
      const now = Date.now();
      const zombies = now - lastZombieCheck >= ZOMBIE_EVERY_MS;
      if (zombies) lastZombieCheck = now;
      if (h !== pid && !pidIsAlive(h, zombies)) {
        if (Atomics.compareExchange(w, i, h, pid) === h) return h;
        continue;
      }
      if (now - start >= timeoutMs) return -1;
    }
    if (immediate) await new Promise<void>((r) => setImmediate(r));
    else await sleepAsync(1);
  }
}

/** Releases `w[i]` if `pid` holds it; returns the holder found (pid on success, 0 if free, another pid otherwise). */
export function releaseWord(w: Int32Array, i: number, pid = myPid): number {
  const h = Atomics.compareExchange(w, i, pid, 0);
  return h;
}

export interface LockOptions {
  /** Called after a lock was taken over from a dead process (write the log line here). */
  onRecovered?: (n: number, deadPid: number) => void;
  /** The owner id written in the lock words (default: this process's pid). */
  pid?: number;
}

/** Locks 0..maxLock over a shared region of `Locks.bytesFor(maxLock)` bytes. */
export class Locks {
  /** Bytes the region needs for locks 0..maxLock. */
  static bytesFor(maxLock: number): number {
    return (maxLock + 1) * LOCK_STRIDE;
  }

  readonly maxLock: number;
  private readonly w: Int32Array;
  private readonly pid: number;
  private readonly onRecovered?: (n: number, deadPid: number) => void;

  /** `mem` must be at least `Locks.bytesFor(maxLock)` bytes, 4-byte aligned, zero = all free. */
  constructor(mem: Uint8Array, maxLock: number, opts: LockOptions = {}) {
    if (!Number.isInteger(maxLock) || maxLock < 0) throw new LockError(refused("--locks must be a non-negative integer", maxLock));
    if (mem.byteLength < Locks.bytesFor(maxLock)) {
      throw new LockError(`lock region too small for locks 0..${maxLock}: ${mem.byteLength} < ${Locks.bytesFor(maxLock)} bytes`);
    }
    this.maxLock = maxLock;
    this.w = new Int32Array(mem.buffer, mem.byteOffset, (maxLock + 1) * WORDS);
    this.pid = opts.pid ?? myPid;
    this.onRecovered = opts.onRecovered;
  }

  private idx(n: number): number {
    if (!Number.isInteger(n) || n < 0 || n > this.maxLock) {
      throw new LockError(refused(`lock number out of range 0..${this.maxLock}`, n));
    }
    return n * WORDS;
  }

  private taken(n: number, r: number, timeoutMs: number): void {
    if (r > 0) this.onRecovered?.(n, r);
    else if (r < 0) {
      throw new LockError(`timed out after ${timeoutMs} ms waiting for lock ${n}: held by pid ${this.holder(n)}`);
    }
  }

  /** Waits until lock `n` is this process's. `timeoutMs` (default: none, like uWSGI) throws LockError. */
  async lock(n = 0, timeoutMs = Infinity): Promise<void> {
    const i = this.idx(n);
    if (Atomics.compareExchange(this.w, i, 0, this.pid) === 0) return;
    this.taken(n, await acquireWordAsync(this.w, i, this.pid, timeoutMs), timeoutMs);
  }

  /** Blocks the thread until lock `n` is taken. Throws if this process already holds it (it would never be released). */
  lockSync(n = 0, timeoutMs = Infinity): void {
    const i = this.idx(n);
    const h = Atomics.compareExchange(this.w, i, 0, this.pid);
    if (h === 0) return;
    if (h === this.pid) {
      throw new LockError(`lock ${n} is already held by this process (pid ${this.pid}): locks are not re-entrant, use await lock(${n})`);
    }
    this.taken(n, acquireWordSync(this.w, i, this.pid, timeoutMs), timeoutMs);
  }

  /** Takes lock `n` if free (or held by a dead process); never waits. */
  tryLock(n = 0): boolean {
    const i = this.idx(n);
    const h = Atomics.compareExchange(this.w, i, 0, this.pid);
    if (h === 0) return true;
    if (h !== this.pid && !pidIsAlive(h, true) && Atomics.compareExchange(this.w, i, h, this.pid) === h) {
      this.onRecovered?.(n, h);
      return true;
    }
    return false;
  }

  /** Releases lock `n`; LockError if this process does not hold it. */
  unlock(n = 0): void {
    const h = releaseWord(this.w, this.idx(n), this.pid);
    if (h === this.pid) return;
    if (h === 0) throw new LockError(`cannot unlock lock ${n}: it is not locked (pid ${this.pid})`);
    throw new LockError(`cannot unlock lock ${n}: held by pid ${h}, not by pid ${this.pid}`);
  }

  /** True while a live process holds lock `n`. */
  isLocked(n = 0): boolean {
    const h = Atomics.load(this.w, this.idx(n));
    return h !== 0 && (h === this.pid || pidIsAlive(h, false));
  }

  /** Pid holding lock `n`, 0 when free (may be a dead pid not yet recovered). */
  holder(n = 0): number {
    return Atomics.load(this.w, this.idx(n));
  }

  /** Holder pid (or 0) of every lock, index = lock number (the stats `locks` view). */
  holders(): number[] {
    const out: number[] = [];
    for (let n = 0; n <= this.maxLock; n++) out.push(Atomics.load(this.w, n * WORDS));
    return out;
  }

  /** Frees every lock `pid` holds (the master, on reaping a child); returns their numbers. */
  releaseAllOf(pid: number): number[] {
    const freed: number[] = [];
    for (let n = 0; n <= this.maxLock; n++) {
      if (Atomics.compareExchange(this.w, n * WORDS, pid, 0) === pid) freed.push(n);
    }
    return freed;
  }

  /** Runs `fn` under lock `n` (default 0, uWSGI's `@lock`), releasing it however `fn` ends. */
  async withLock<T>(fn: () => T | Promise<T>, n = 0): Promise<T> {
    await this.lock(n);
    try {
      return await fn();
    } finally {
      this.unlock(n);
    }
  }
}

/** Maps (creating if needed) a lock file for locks 0..maxLock and returns its Locks. */
export function openLocks(path: string, maxLock: number, opts: LockOptions & MapOptions = {}): Locks {
  if (!Number.isInteger(maxLock) || maxLock < 0) throw new LockError(refused("--locks must be a non-negative integer", maxLock));
  const mem = mapShared(path, Locks.bytesFor(maxLock), { fresh: opts.fresh });
  return new Locks(mem, maxLock, opts);
}
