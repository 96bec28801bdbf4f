/** One queued call of a spool function, as stored. */
export interface TaskRecord {
    /** Record layout version, always 1. */
    v: 1;
    /** Name of the registered task function (looked up in the spooler, never stored as code). */
    name: string;
    /** Structured arguments: anything msgpack carries, Dates and Uint8Arrays included. */
    args: any;
    /** Raw bytes passed beside the args (uWSGI's `body`). */
    body?: Uint8Array;
    /** Not run before this time, unix ms. */
    at?: number;
    /** Priority sub-directory; lower runs first. */
    priority?: number;
    /** Failed attempts allowed before the task moves to failed/ (see policy.ts for the default). */
    retries?: number;
    /** Base of the exponential back-off between attempts, seconds. */
    backoff?: number;
    /** Attempts that ended badly so far (an error, a retry, or a process that died running it). */
    attempts: number;
    /** Dedup key: a second task with it is refused while this one is pending or running. */
    key?: string;
    /** When the task was first accepted, unix ms. */
    enqueuedAt: number;
    /** The last error text, one line. */
    lastError?: string;
    /** When the task moved to failed/, unix ms. */
    failedAt?: number;
}
/** The 4 magic bytes "MFSP". */
export declare const TASK_MAGIC: Uint8Array<ArrayBuffer>;
/** Current file format version byte. */
export declare const TASK_FORMAT_VERSION = 1;
/** The file is not a valid task; `message` is the quarantine reason. */
export declare class TaskDecodeError extends Error {
    constructor(message: string);
}
/** Encodes a record into the bytes of a task file. */
export declare function encodeTask(task: TaskRecord): Uint8Array;
/**
 * Decodes task file bytes; throws TaskDecodeError with a one-line reason
 * (never anything else) when the bytes are not a valid task.
 */
export declare function decodeTask(bytes: Uint8Array): TaskRecord;
/** Reads and decodes one task file (used by `spooler_get_task(path)` and `spool show`). */
export declare function readTaskFile(path: string): TaskRecord;
