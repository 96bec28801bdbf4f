import { type MapOptions } from "../shm/index.ts";
export { isProcessDead, myPid, sleepSync, sleepAsync } from "./proc.ts";
/** Bytes between two lock words (one cache line each: no false sharing). */
export declare const LOCK_STRIDE = 64;
/**
 * Acquires the lock word `w[i]` for `pid`, blocking the thread. Returns 0 when
 * taken normally, the dead holder's pid when taken over from a dead process,
 * or -1 after `timeoutMs`. The building block of every synchronous engine
 * (cache, queue, sharedarea).
 */
export declare function acquireWordSync(w: Int32Array, i: number, pid?: number, timeoutMs?: number): number;
/** Async twin of `acquireWordSync`: never blocks the event loop for more than a short spin. */
export declare function acquireWordAsync(w: Int32Array, i: number, pid?: number, timeoutMs?: number): Promise<number>;
/** Releases `w[i]` if `pid` holds it; returns the holder found (pid on success, 0 if free, another pid otherwise). */
export declare function releaseWord(w: Int32Array, i: number, pid?: number): number;
export interface LockOptions {
    /** Called after a lock was taken over from a dead process (write the log line here). */
    onRecovered?: (n: number, deadPid: number) => void;
    /** The owner id written in the lock words (default: this process's pid). */
    pid?: number;
}
/** Locks 0..maxLock over a shared region of `Locks.bytesFor(maxLock)` bytes. */
export declare class Locks {
    /** Bytes the region needs for locks 0..maxLock. */
    static bytesFor(maxLock: number): number;
    readonly maxLock: number;
    private readonly w;
    private readonly pid;
    private readonly onRecovered?;
    /** `mem` must be at least `Locks.bytesFor(maxLock)` bytes, 4-byte aligned, zero = all free. */
    constructor(mem: Uint8Array, maxLock: number, opts?: LockOptions);
    private idx;
    private taken;
    /** Waits until lock `n` is this process's. `timeoutMs` (default: none, like uWSGI) throws LockError. */
    lock(n?: number, timeoutMs?: number): Promise<void>;
    /** Blocks the thread until lock `n` is taken. Throws if this process already holds it (it would never be released). */
    lockSync(n?: number, timeoutMs?: number): void;
    /** Takes lock `n` if free (or held by a dead process); never waits. */
    tryLock(n?: number): boolean;
    /** Releases lock `n`; LockError if this process does not hold it. */
    unlock(n?: number): void;
    /** True while a live process holds lock `n`. */
    isLocked(n?: number): boolean;
    /** Pid holding lock `n`, 0 when free (may be a dead pid not yet recovered). */
    holder(n?: number): number;
    /** Holder pid (or 0) of every lock, index = lock number (the stats `locks` view). */
    holders(): number[];
    /** Frees every lock `pid` holds (the master, on reaping a child); returns their numbers. */
    releaseAllOf(pid: number): number[];
    /** Runs `fn` under lock `n` (default 0, uWSGI's `@lock`), releasing it however `fn` ends. */
    withLock<T>(fn: () => T | Promise<T>, n?: number): Promise<T>;
}
/** Maps (creating if needed) a lock file for locks 0..maxLock and returns its Locks. */
export declare function openLocks(path: string, maxLock: number, opts?: LockOptions & MapOptions): Locks;
