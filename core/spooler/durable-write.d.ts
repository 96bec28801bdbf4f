/** One file to create. */
export interface DurableFile {
    path: string;
    data: Uint8Array;
}
/** Name of a temp file; carries the writer's pid so recovery can tell an abandoned one. */
export declare function tmpName(): string;
/**
 * Writes every file through `tmpDir` (same filesystem as the targets, or
 * rename would copy), then fsyncs each distinct target directory once.
 * `extraDirs` are fsynced too (a parent in which a target directory was
 * just created). On error the temp files are removed; with several files a
 * prefix may already have been renamed into place (see the caller's docs).
 */
export declare function writeDurable(tmpDir: string, files: DurableFile[], extraDirs?: string[]): Promise<void>;
/** Replaces `path` atomically with `data` (temp + fsync + rename), without a directory fsync. */
export declare function replaceSynced(tmpDir: string, path: string, data: Uint8Array): Promise<void>;
/**
 * Makes the directory's entries (renames, creations) durable. Linux allows
 * fsync on a read-only directory fd.
 *
 * Group commit inside one process: concurrent callers share fsyncs. A call
 * made while an fsync of the same directory is in flight cannot rely on it
 * (it may have started before the caller's rename), so it joins the next
 * one, which starts when the current one ends and serves every caller that
 * arrived meanwhile. Many concurrent `enqueue()`s thus cost about two
 * directory fsyncs, not one each.
 */
export declare function fsyncDir(dir: string): Promise<void>;
/** Is `name` a temp file written by `pid`? (For cleaning up after a dead writer.) */
export declare function tmpOwner(name: string): number | null;
