/** Suffix of the file that holds the reason. */
export declare const REASON_SUFFIX = ".reason";
/**
 * Moves `file` into `qdir` and records `reason`. Returns the new path, or
 * null when the file is already gone (another process moved or claimed it).
 * `name` overrides the base name (a claimed file keeps its pending name).
 */
export declare function quarantineFile(qdir: string, file: string, reason: string, name?: string): string | null;
