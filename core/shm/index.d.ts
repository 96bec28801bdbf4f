/** "bun", "deno" or "unsupported" (Node has no shared memory in core). */
export declare const shmRuntime: "bun" | "deno" | "unsupported";
/** Offsets are aligned down to this before mmap (a multiple of every Linux page size). */
export declare const MAP_ALIGN = 65536;
/** Largest region one `mapShared` call can return in this runtime (Bun: 4 GiB). */
export declare const MAX_MAPPING_BYTES: number;
/**
 * Segment size the engines use to split large regions: 1 GiB, so the same
 * code path runs in both runtimes and a single mapping stays far below Bun's
 * 4 GiB limit.
 */
export declare const SEGMENT_BYTES: number;
export interface MapOptions {
    /** Byte offset in the file where the returned view starts (any value; aligned internally). */
    offset?: number;
    /** Unlink an existing file first (the master's start-up): old mappings keep the old inode. */
    fresh?: boolean;
}
/** Directory for mapping files: /dev/shm when writable, else the temp dir. */
export declare function shmDir(): string;
/** Creates `path` if missing and grows it (sparse) to at least `size` bytes; never shrinks. */
export declare function ensureFileSize(path: string, size: number): void;
/**
 * Maps `size` bytes of `path` (from `offset`) MAP_SHARED and returns them as a
 * Uint8Array. The file is created and grown to `offset + size` if needed.
 * The view may start inside its buffer: build typed views with
 * `new Int32Array(u8.buffer, u8.byteOffset + off, n)`; keep `off` a multiple
 * of the element size and `offset` a multiple of 8 so atomics are aligned.
 * Keep a reference to the array: Bun unmaps it when it is collected.
 */
export declare function mapShared(path: string, size: number, opts?: MapOptions): Uint8Array;
/**
 * Maps `size` bytes of `path` from `offset` as consecutive segments of at most
 * `segmentBytes` (rounded down to a multiple of `unit`, so no unit straddles
 * two segments). Used for regions larger than one mapping may be.
 */
export declare function mapSegments(path: string, offset: number, size: number, unit: number, segmentBytes?: number): Uint8Array[];
/** Rounds `n` up to a multiple of `to`. */
export declare function alignUp(n: number, to: number): number;
/**
 * Create-or-attach for a region whose first Int32 words are a header. The
 * first process to arrive writes `params` and runs `init` (all other callers
 * wait, at most `timeoutMs`); a process that dies while initialising is taken
 * over. Every later caller checks magic and params and gets `mismatch(names)`
 * text when the region was created with other parameters.
 * Returns true when this call initialised the region.
 */
export declare function attachHeader(i32: Int32Array, magic: number, params: number[], init: () => void, mismatch: (stored: number[]) => Error, timeoutMs?: number): boolean;
