/** A marker without a live task is ignored after this long. */
export declare const STALE_MARKER_MS = 60000;
export declare class KeyMarkers {
    readonly dir: string;
    private exists;
    /**
     * @param dir the keys directory (exists)
     * @param exists whether a task id is still pending or running
     */
    constructor(dir: string, exists: (id: string) => Promise<boolean>);
    /** Path of the marker of `key`. */
    path(key: string): string;
    /** Creates the marker for `key` owned by `id`, or throws SpoolError naming the pending task. */
    acquire(key: string, id: string): Promise<void>;
    /** Removes the marker of `key` if `id` still owns it. */
    release(key: string, id: string): void;
}
