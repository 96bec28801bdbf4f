export { cacheClear, cacheDec, cacheDel, cacheExists, cacheGet, cacheGetString, cacheInc, cacheKeys, cacheNum, cacheSet, cacheStats, cacheUpdate } from "../cache/index.ts";
type Fn = (...args: any[]) => unknown;
/**
 * `lock(n)` waits for lock n (0..--locks) and resolves once held; a lock held
 * by a process that died is taken over. `lock(fn)` wraps fn to run under lock 0.
 */
export declare function lock(n?: number): Promise<void>;
export declare function lock<F extends Fn>(fn: F): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>>;
/** Releases lock n; LockError when this process does not hold it. */
export declare function unlock(n?: number): void;
/** Whether a live process holds lock n. */
export declare function isLocked(n?: number): boolean;
/** Runs fn under lock n (default 0), releasing it however fn ends. */
export declare function withLock<T>(fn: () => T | Promise<T>, n?: number): Promise<T>;
export declare const sharedareaRead: (pos: number, len?: number) => Uint8Array<ArrayBufferLike>;
export declare const sharedareaWrite: (pos: number, data: string | Uint8Array) => number;
export declare const sharedareaReadByte: (pos: number) => number;
export declare const sharedareaWriteByte: (pos: number, v: number) => void;
export declare const sharedareaReadLong: (pos: number) => number;
export declare const sharedareaWriteLong: (pos: number, v: number | bigint) => void;
/** Atomically adds 1 (or `by`) to the 64-bit integer at pos, across processes; returns the new value. */
export declare const sharedareaIncLong: (pos: number, by?: number | bigint) => number;
export declare const queuePush: (v: string | Uint8Array) => boolean;
export declare const queuePull: () => Uint8Array<ArrayBufferLike> | null;
export declare const queuePop: () => Uint8Array<ArrayBufferLike> | null;
export declare const queueGet: (i: number) => Uint8Array<ArrayBufferLike> | null;
export declare const queueSet: (i: number, v: string | Uint8Array) => boolean;
export declare const queueLast: (n?: number) => Uint8Array<ArrayBufferLike>[] | Uint8Array<ArrayBufferLike> | null;
export declare const queueSlot: () => number;
export declare const queuePullSlot: () => number;
