import { MulefarmError } from "../errors.ts";
/** A queue operation with a bad argument (slot out of range, item too large). */
export declare class QueueError extends MulefarmError {
    static code: string;
}
export declare const DEFAULT_QUEUE_BLOCKSIZE = 8192;
export declare const QUEUE_ITEM_HEADER = 16;
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
export declare class SharedQueue {
    /** Bytes of the file for `slots` slots of `blocksize`. */
    static bytesFor(slots: number, blocksize?: number): number;
    readonly slots: number;
    readonly blocksize: number;
    /** Largest item: blocksize − 16. */
    readonly maxItem: number;
    private readonly h;
    private readonly mem;
    private readonly i32;
    private readonly f64;
    /** Use `openQueue`; `mem` is a mapped region of `bytesFor(slots, blocksize)` bytes. */
    constructor(mem: Uint8Array, slots: number, blocksize?: number);
    private base;
    private checkSlot;
    private bytes;
    private locked;
    private writeSlot;
    private readSlot;
    private take;
    /** Appends an item; when full, the oldest item is overwritten (as uWSGI). Always true. */
    push(v: string | Uint8Array): boolean;
    /** Removes and returns the oldest item (FIFO), or null when empty. */
    pull(): Uint8Array | null;
    /** Removes and returns the newest item (LIFO), or null when empty. */
    pop(): Uint8Array | null;
    /** The item in slot `i` (not removed), or null when the slot is empty. */
    get(i: number): Uint8Array | null;
    /** Replaces the content of slot `i` (see the file comment). Always true. */
    set(i: number, v: string | Uint8Array): boolean;
    /** Without n: the newest item or null. With n: up to n newest items, newest first. */
    last(): Uint8Array | null;
    last(n: number): Uint8Array[];
    /** The slot the next push writes (uWSGI queue_slot). */
    slot(): number;
    /** The slot the next pull reads (uWSGI queue_pull_slot). */
    pullSlot(): number;
    /** Items in the queue now. */
    get length(): number;
    /** Convenience: an item decoded as UTF-8. */
    static text(v: Uint8Array | null): string | null;
    stats(): QueueStats;
}
/** Maps (creating or attaching) a queue of `slots` slots at `path`. */
export declare function openQueue(path: string, slots: number, opts?: QueueOptions): SharedQueue;
