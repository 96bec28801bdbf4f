/**
 * Locks, caches, the sharedarea and the queue: shared memory every process
 * of the instance maps (no IPC on the hot path).
 *
 * @example
 * import { lock, unlock, cacheGet, cacheSet, cacheInc } from "mulefarm";
 * await lock(1); try { ... } finally { unlock(1); }
 * cacheSet("k", "v", 60);                // false if "k" exists and is unexpired
 * cacheInc("hits");                      // atomic across processes
 * const critical = lock(async () => { ... }); // runs under lock 0
 * const token = await lock("billing", { scope: "cluster" }); // across every instance on --redis
 * try { ... } finally { await unlock("billing", { scope: "cluster" }); }
 */
import { theLocks, theQueue, theSharedArea } from "../shared/child.ts";
import { LockError } from "../errors.ts";
import { clusterLock, type ClusterLockOptions, clusterUnlock, withClusterLock } from "../locks/cluster-api.ts";

export { clusterLock, clusterUnlock, withClusterLock };
export type { ClusterLockOptions };
/** A named lock's scope: "cluster" = every instance on the instance's --redis. */
export type ClusterScope = ClusterLockOptions & { scope: "cluster" };

function clusterScope(name: string, opts: unknown): ClusterScope {
  if ((opts as ClusterScope | undefined)?.scope !== "cluster") {
    throw new LockError(`a lock named by a string needs { scope: "cluster" } (this instance's locks are numbered 0..--locks): got ${JSON.stringify(name)}`);
  }
  return opts as ClusterScope;
}

export { cacheClear, cacheDec, cacheDel, cacheExists, cacheGet, cacheGetString, cacheInc, cacheKeys, cacheNum, cacheSet, cacheStats, cacheUpdate } from "../cache/index.ts";

type Fn = (...args: any[]) => unknown;

/**
 * `lock(n)` waits for lock n (0..--locks) and resolves once held; a lock held
 * by a process that died is taken over. `lock(fn)` wraps fn to run under lock 0.
 */
export function lock(n?: number): Promise<void>;
/** `lock(name, { scope: "cluster" })`: the cluster lock `name`; resolves with its fencing token (see clusterLock). */
export function lock(name: string, opts: ClusterScope): Promise<number>;
export function lock<F extends Fn>(fn: F): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>>;
export function lock(a: any = 0, opts?: ClusterScope): any {
  if (typeof a === "function") return (...args: unknown[]) => theLocks().withLock(() => a(...args), 0);
  if (typeof a === "string") return clusterLock(a, clusterScope(a, opts));
  return theLocks().lock(a);
}
/** Releases lock n; LockError when this process does not hold it. */
export function unlock(n?: number): void;
/** `unlock(name, { scope: "cluster" })`: releases the cluster lock `name`. */
export function unlock(name: string, opts: ClusterScope): Promise<void>;
export function unlock(n: number | string = 0, opts?: ClusterScope): void | Promise<void> {
  if (typeof n === "string") return clusterUnlock((clusterScope(n, opts), n));
  theLocks().unlock(n);
}
/** Whether a live process holds lock n. */
export function isLocked(n = 0): boolean {
  return theLocks().isLocked(n);
}
/** Runs fn under lock n (default 0), releasing it however fn ends. */
export function withLock<T>(fn: () => T | Promise<T>, n = 0): Promise<T> {
  return theLocks().withLock(fn, n);
}

export const sharedareaRead = (pos: number, len?: number) => theSharedArea().read(pos, len);
export const sharedareaWrite = (pos: number, data: string | Uint8Array) => theSharedArea().write(pos, data);
export const sharedareaReadByte = (pos: number) => theSharedArea().readByte(pos);
export const sharedareaWriteByte = (pos: number, v: number) => theSharedArea().writeByte(pos, v);
export const sharedareaReadLong = (pos: number) => theSharedArea().readLong(pos);
export const sharedareaWriteLong = (pos: number, v: number | bigint) => theSharedArea().writeLong(pos, v);
/** Atomically adds 1 (or `by`) to the 64-bit integer at pos, across processes; returns the new value. */
export const sharedareaIncLong = (pos: number, by: number | bigint = 1) => theSharedArea().incLong(pos, by);

export const queuePush = (v: string | Uint8Array) => theQueue().push(v);
export const queuePull = () => theQueue().pull();
export const queuePop = () => theQueue().pop();
export const queueGet = (i: number) => theQueue().get(i);
export const queueSet = (i: number, v: string | Uint8Array) => theQueue().set(i, v);
export const queueLast = (n?: number) => (n === undefined ? theQueue().last() : theQueue().last(n));
export const queueSlot = () => theQueue().slot();
export const queuePullSlot = () => theQueue().pullSlot();
