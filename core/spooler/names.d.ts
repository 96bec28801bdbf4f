/** A new id, unique across processes (pid + counter + random), sortable by enqueue time. */
export declare function newTaskId(enqueuedAt: number): string;
/** True if `s` has the shape of a task id (used to refuse path tricks in get/retry). */
export declare function isTaskId(s: string): boolean;
/** The name of a pending file due at `due` (unix ms). */
export declare function pendingName(due: number, id: string): string;
/** Parses a pending (or failed) file name; null when it is not one of ours. */
export declare function parsePendingName(name: string): {
    due: number;
    id: string;
} | null;
/** The name of a claimed file in running/. */
export declare function runningName(pending: string, pid: number): string;
/** Parses a running/ file name; null when it is not one of ours. */
export declare function parseRunningName(name: string): {
    pending: string;
    due: number;
    id: string;
    pid: number;
} | null;
/** When a task becomes runnable: its `at`, but never before it was enqueued (keeps FIFO for past `at`). */
export declare function dueOf(task: {
    at?: number;
    enqueuedAt: number;
}): number;
