/**
 * The storage behind a spooler, kept small so that another backend (Redis)
 * can replace the file store without touching the engine. A backend holds
 * no process state that matters: several processes open the same store and
 * coordinate only through it (no IPC).
 *
 * Guarantees every backend gives:
 * - `enqueue` resolves only once the task survives a crash or power cut;
 * - a task is held by at most one claimer at a time, across processes;
 * - at-least-once: a claimer that dies leaves its task to `recover()`,
 *   which re-queues it (counting the attempt), so the task runs again.
 *
 * @example
 * const store: SpoolBackend = new FileSpoolStore("/var/spool/app");
 * await store.enqueue({ name: "mail", args: { to: "a@b" } });
 * const c = await store.claim(Date.now());
 * if (c) { await run(c.task); await store.complete(c); }
 */
import type { TaskRecord } from "./task.ts";

/** A task id: stable for the life of the task, across retries. */
export type TaskId = string;

/** What a producer hands to `enqueue`; the store fills in the rest. */
export interface NewTask {
  /** Name of the registered task function. */
  name: string;
  /** Structured arguments (msgpack-able: Dates and Uint8Arrays round-trip). */
  args?: any;
  /** Raw bytes passed beside the args. */
  body?: Uint8Array;
  /** Not run before this time, unix ms. */
  at?: number;
  /** Non-negative integer; lower runs first, tasks without one run last. */
  priority?: number;
  /** Failed attempts allowed before failed/ (default in policy.ts). */
  retries?: number;
  /** Exponential back-off base in seconds (default in policy.ts). */
  backoff?: number;
  /** Dedup key: refused with SpoolError while a task with it is pending or running. */
  key?: string;
  /** Attempts already made (a task split out of an interrupted batch keeps its count). */
  attempts?: number;
  /** The last error text, kept when a task is re-queued on its own. */
  lastError?: string;
  /** W3C traceparent of the span that spooled it (set only while tracing): the run is its child. */
  trace?: string;
}

/** A task held by one claimer; pass it back to complete/retry/fail. */
export interface ClaimedTask {
  id: TaskId;
  task: TaskRecord;
  /** Where the claimed task lives while it runs (backend-specific, for logs). */
  ref: string;
}

/** Where a task is now. */
export type TaskState = "pending" | "running" | "failed" | "quarantined";

/** One row of `list()` or the answer of `get()`. */
export interface TaskEntry {
  id: TaskId;
  state: TaskState;
  /** Backend-specific location (a file path for the file store). */
  ref: string;
  /** When it may run (pending) or was due (others), unix ms; absent when unknown. */
  dueAt?: number;
  priority?: number;
  /** Pid of the claimer (running only). */
  pid?: number;
  /** The record, when it could be read (absent for quarantined garbage). */
  task?: TaskRecord;
  /** Why the file was quarantined. */
  reason?: string;
}

/** Counts are exact; `entries` is capped by `limit` per state. */
export interface SpoolListing {
  pending: { count: number; entries: TaskEntry[] };
  running: { count: number; entries: TaskEntry[] };
  failed: { count: number; entries: TaskEntry[] };
  quarantined: { count: number; entries: TaskEntry[] };
}

/** Options of `retry()`. */
export interface RetryOptions {
  /** Wait before the next run, ms (0 = at once). */
  delayMs: number;
  /** Error text kept in `lastError`. */
  error?: string;
  /** Count this as a failed attempt (default true). False for SPOOL_RETRY / spoolforever re-runs. */
  countAttempt?: boolean;
}

/** Result of `recover()`. */
export interface RecoverResult {
  /** Ids put back to pending (attempt counted, back-off applied). */
  requeued: TaskId[];
  /** Ids moved to failed/ because their retry limit was exceeded. */
  failed: TaskId[];
}

/** The storage interface of a spooler. */
export interface SpoolBackend {
  /** Accepts one task; resolves with its id once durable. */
  enqueue(task: NewTask): Promise<TaskId>;
  /** Accepts many tasks with one durability barrier (group commit); ids in input order. */
  enqueueMany(tasks: NewTask[]): Promise<TaskId[]>;
  /** Takes the next due task (priority, then due time, then enqueue order), or null. */
  claim(now?: number): Promise<ClaimedTask | null>;
  /** The task succeeded: forget it. */
  complete(claimed: ClaimedTask): Promise<void>;
  /** Puts the task back to run after `delayMs`; counts an attempt unless told not to. */
  retry(claimed: ClaimedTask, opts: RetryOptions): Promise<void>;
  /** Moves the task to failed with its error text and attempt count (this attempt counted). */
  fail(claimed: ClaimedTask, error: string): Promise<void>;
  /** Counts and entries per state. */
  list(opts?: { limit?: number }): Promise<SpoolListing>;
  /** Re-queues tasks whose claimer is dead (attempt counted), or fails them past their limit. */
  recover(isAlive: Set<number> | ((pid: number) => boolean)): Promise<RecoverResult>;
  /** Earliest due time among pending tasks (unix ms), or null when none is pending. */
  nextDueAt(): Promise<number | null>;
  /** One task by id, in any state, or null. */
  get(id: TaskId): Promise<TaskEntry | null>;
  /** Moves a failed task (or all) back to pending with attempts reset; returns how many moved. */
  retryFailed(id: TaskId | "all"): Promise<number>;
  /** Deletes every failed task; returns how many. */
  purgeFailed(): Promise<number>;
}
