import { MulefarmError } from "../errors.ts";
/** A sharedarea access out of range or with a bad argument. */
export declare class SharedAreaError extends MulefarmError {
    static code: string;
}
export declare const PAGE_SIZE = 4096;
export interface SharedAreaOptions {
    /** Unlink an existing file first (the master at start-up). */
    fresh?: boolean;
    /** The area's id in `--sharedarea` order, used in error messages. */
    id?: number;
    /** Data segment size (tests use small ones to cross segment boundaries). */
    segmentBytes?: number;
}
export declare class SharedArea {
    /** Bytes of the file for `pages` pages (header included). */
    static bytesFor(pages: number): number;
    readonly pages: number;
    /** Usable bytes: pages × 4096. */
    readonly size: number;
    readonly id: number;
    private readonly h;
    private readonly segs;
    private readonly longs;
    private readonly dvs;
    private readonly per;
    /** Use `openSharedArea`; this wires an already-mapped header and data segments. */
    constructor(pages: number, header: Uint8Array, segs: Uint8Array[], id?: number);
    private check;
    /** Copies `len` bytes from `pos` (default: to the end of the area). */
    read(pos: number, len?: number): Uint8Array;
    /** Writes `data` (bytes, or a string as UTF-8) at `pos`; returns the byte count. */
    write(pos: number, data: string | Uint8Array): number;
    readByte(pos: number): number;
    writeByte(pos: number, value: number): void;
    /** The signed 64-bit integer at `pos` (as a number: exact up to ±2^53). */
    readLong(pos: number): number;
    writeLong(pos: number, value: number | bigint): void;
    /** Atomically adds `by` to the long at `pos` and returns the new value. */
    incLong(pos: number, by?: number | bigint): number;
    /** Atomically subtracts `by` (see incLong). */
    decLong(pos: number, by?: number | bigint): number;
    private toBig;
    private getUnaligned;
    private setUnaligned;
    private locked;
}
/** Maps (creating or attaching) a sharedarea of `pages` 4096-byte pages at `path`. */
export declare function openSharedArea(path: string, pages: number, opts?: SharedAreaOptions): SharedArea;
