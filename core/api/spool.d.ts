import { type TaskRecord } from "../spooler/task.ts";
export { SPOOL_IGNORE, SPOOL_OK, SPOOL_RETRY } from "../spooler/run.ts";
export { Retry, Unrecoverable } from "../errors.ts";
/** Keys of the spooled arguments that steer the task instead of reaching the function. */
export interface SpoolOptions {
    /** Which spooler directory (default: the first --spooler). */
    spooler?: string;
    /** Not run before this time: a Date or unix seconds. */
    at?: Date | number;
    /** Lower runs first. */
    priority?: number;
    /** Raw bytes beside the arguments (arrives as args.body). */
    body?: Uint8Array | string;
    /** Failed attempts allowed before DIR/failed/ (default 3). */
    retries?: number;
    /** Back-off base in seconds, doubled per attempt (default 1, capped at 5 min). */
    backoff?: number;
    /** Dedup key: a second task with the same key is refused while the first is pending. */
    key?: string;
}
export interface TaskMeta {
    id: string;
    attempt: number;
    dir: string;
}
export type Spoolable<A, R> = ((args: A, meta?: TaskMeta) => R) & {
    /** Queues a call; resolves with the task id once it is durable. */
    spool(args?: A & SpoolOptions): Promise<string>;
    /** The name the task is stored under. */
    taskName: string;
};
/** `spool(fn)`: fn runs once in a spooler per `.spool(args)`; a throw is retried with back-off, then failed/. */
export declare function spool<A extends Record<string, unknown>, R>(fn: (args: A, meta?: TaskMeta) => R, opts?: {
    passArguments?: boolean;
    name?: string;
}): Spoolable<A, R>;
/** `spoolforever(fn)`: the task is queued again after every run. */
export declare function spoolforever<A extends Record<string, unknown>, R>(fn: (args: A, meta?: TaskMeta) => R, opts?: {
    passArguments?: boolean;
    name?: string;
}): Spoolable<A, R>;
/** `spoolraw(fn)`: fn returns SPOOL_OK (done), SPOOL_RETRY (run again) or SPOOL_IGNORE (drop). */
export declare function spoolraw<A extends Record<string, unknown>, R>(fn: (args: A, meta?: TaskMeta) => R, opts?: {
    passArguments?: boolean;
    name?: string;
}): Spoolable<A, R>;
/**
 * uWSGI's send_to_spooler / spool: a raw task handled by the function set
 * with `setSpoolerHandler` (uwsgi.spooler = fn), or by the spool function
 * named in `ud_spool_func`.
 */
export declare function sendToSpooler(dict: Record<string, unknown>, o?: SpoolOptions): Promise<string>;
/** The handler of raw tasks (uwsgi.spooler = fn): returns SPOOL_OK / SPOOL_RETRY / SPOOL_IGNORE. */
export declare function setSpoolerHandler(fn: (args: Record<string, unknown>) => unknown): void;
/** Changes every spooler's idle rescan interval. */
export declare function setSpoolerFrequency(seconds: number): Promise<boolean>;
/** Pending task ids of the first spooler (or `dir`). */
export declare function spoolerJobs(dir?: string): Promise<string[]>;
/** The pid of the first spooler process. */
export declare function spoolerPid(): Promise<number>;
/** Reads a task file (path, or an id in the first spooler). */
export declare function spoolerGetTask(pathOrId: string): Promise<TaskRecord | null>;
/** Whether this process is a spooler. */
export declare function iAmTheSpooler(): boolean;
