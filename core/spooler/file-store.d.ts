import type { ClaimedTask, NewTask, RecoverResult, RetryOptions, SpoolBackend, SpoolListing, TaskEntry, TaskId } from "./backend.ts";
/** Options of a FileSpoolStore. */
export interface FileStoreOptions {
    /** Told once per corrupt or foreign file moved to quarantine/ (log one line). */
    onQuarantine?: (file: string, reason: string, movedTo: string) => void;
    /** Pid written into running/ names (default process.pid; tests fake a dead claimer with it). */
    pid?: number;
    /** claim() rescans the directory when its index is older than this, ms (default 1000). */
    maxIndexAgeMs?: number;
}
/** The file implementation of SpoolBackend. */
export declare class FileSpoolStore implements SpoolBackend {
    readonly dir: string;
    private readonly tmpDir;
    private readonly runningDir;
    private readonly failedDir;
    private readonly quarantineDir;
    private readonly pid;
    private readonly maxIndexAgeMs;
    private readonly onQuarantine?;
    private readonly keys;
    private readonly knownDirs;
    private levels;
    private scannedAt;
    /** Opens (and creates, mode 0700) the spool directory `dir`. */
    constructor(dir: string, opts?: FileStoreOptions);
    /** Accepts one task; resolves with its id once it is on disk for good. */
    enqueue(task: NewTask): Promise<TaskId>;
    /**
     * Accepts many tasks with one fsync barrier: every file is written and
     * fsynced concurrently, renamed into place, then each target directory is
     * fsynced once. All tasks are validated (and keys taken) before anything is
     * written. If the write itself fails, a prefix of the batch may have been
     * accepted; the rejection does not say which.
     */
    enqueueMany(tasks: NewTask[]): Promise<TaskId[]>;
    /**
     * Takes the next due task: priority levels in numeric order, then the top
     * level; within one, due time then enqueue order. Uses the in-memory index
     * (rescanned when older than maxIndexAgeMs, or when it has nothing due), so
     * a claim costs one rename and one small read.
     */
    claim(now?: number): Promise<ClaimedTask | null>;
    /** Re-reads the directory into the claim index (call on a "new task" wake-up). */
    rescan(): void;
    /** The task succeeded: its file is removed, then its dedup key released. */
    complete(claimed: ClaimedTask): Promise<void>;
    /** Puts the task back, due in `delayMs`, with attempts+1 (unless countAttempt is false). */
    retry(claimed: ClaimedTask, opts: RetryOptions): Promise<void>;
    /** Stores a task straight into failed/ (a batch member that ran out of retries), durably. */
    failNew(task: NewTask, error: string): Promise<TaskId>;
    /** Moves the task to failed/ with `error`, attempts+1 and failedAt; releases its key. */
    fail(claimed: ClaimedTask, error: string): Promise<void>;
    /**
     * Counts and up to `limit` (default 100) entries per state. Like every
     * scan, it moves foreign files it meets to quarantine/ first.
     */
    list(opts?: {
        limit?: number;
    }): Promise<SpoolListing>;
    /**
     * Finds claims whose process is dead (per `isAlive`; a Set means "these
     * are the only live claimers") and counts that as a failed attempt:
     * re-queued with back-off, or moved to failed/ with "process died while
     * running the task (attempt N)" past its retry limit. This is how a task
     * that kills its process every time stops looping. Also removes temp files
     * abandoned by dead writers. Pass a real liveness check (pidIsAlive) when
     * processes other than the set's may claim from this directory.
     */
    recover(isAlive: Set<number> | ((pid: number) => boolean)): Promise<RecoverResult>;
    /** Earliest due time among pending tasks (unix ms) as of the index, or null. */
    nextDueAt(): Promise<number | null>;
    /** One task by id, in any state, with its record; null if unknown. */
    get(id: TaskId): Promise<TaskEntry | null>;
    /**
     * Moves failed tasks back to pending, due now, with attempts reset to 0
     * (lastError kept). With an id, a task whose dedup key is taken again
     * throws SpoolError; with "all", such tasks stay in failed/. Returns how
     * many moved.
     */
    retryFailed(id: TaskId | "all"): Promise<number>;
    /** Deletes every task in failed/ (they were kept for inspection only); returns how many. */
    purgeFailed(): Promise<number>;
    private claimFromIndex;
    /**
     * Reads a file we hold; a corrupt one goes to quarantine and yields null.
     * `from` is where the file was found (what the log line should name).
     */
    private readOrQuarantine;
    /** Replaces a held file's content (fsynced), then moves it to `dest`. */
    private rewriteAndMove;
    /** Directory of a priority level, created on first use (its parent is then fsynced too). */
    private levelDir;
    /** Where a task id is now, without reading it. */
    private locate;
    /** Moves `path` to quarantine/; `from` (default `path`) names it in the report and the new name. */
    private quarantine;
    private removeAbandonedTmp;
}
