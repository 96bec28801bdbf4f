/**
 * The one storage interface of the spooler. Every caller (the `spool()` API,
 * the master, the spooler processes, `mulefarm spool …`, the stats, /metrics,
 * `uwsgi.spooler_jobs()`/`spooler_get_task()`) goes through `SpoolStore`,
 * and gets one from `openStore(address)` (open.ts), never from a class.
 * A store is one queue shared by any number of processes (and instances)
 * that coordinate only through the store itself; a store object holds no
 * state that matters for correctness (a cache of names at most).
 *
 * Promises every store keeps (the conformance suite,
 * test/unit/spooler/spool-store.conformance.ts, checks each one):
 * - **Durable accept.** `enqueue`/`enqueueMany` resolve only once the task
 *   survives what the store's `sync` level promises (see `SyncMode`);
 *   rejected means not accepted (with several tasks: possibly a prefix, the
 *   rejection does not say which).
 * - **Order.** `claim` gives the due task with the lowest priority number
 *   (tasks without a priority after every priority), then the earliest due
 *   time (`max(at, enqueue time)`), then enqueue order. A task whose due
 *   time is in the future is never claimed.
 * - **At most one claimer.** A task is held by at most one claim at a time,
 *   across processes and instances. A claim is proven by its `token`; a
 *   claim that is no longer held (recovered by someone else, lease expired)
 *   makes complete/retry/fail/renew throw `SpoolError`, and nothing changes.
 * - **At-least-once.** A claimer that dies (or whose lease runs out) leaves
 *   its task to `recover()`, which puts it back with that attempt counted
 *   (back-off applied), or moves it to failed past its retry limit.
 * - **One task, one claim.** A store may keep several tasks together (group
 *   commit) but `claim` always yields one task, and each task completes,
 *   retries and fails on its own: a crash or failure of one never re-runs or
 *   fails a sibling that finished (the "batch split" lives in the store).
 * - **Tasks, not storage units.** Counts, listings and `jobs()` are per task.
 * - **Inspection has no side effects.** `list`, `get`, `counts`, `jobs` and
 *   `readTask` never move, quarantine or change anything.
 * - **Quarantine.** An undecodable entry met by `claim`/`recover` is moved
 *   aside (counted in `quarantined`), never deleted, never fatal; `onQuarantine`
 *   is told once.
 * - **Opaque trace.** `NewTask.trace` (W3C trace context, or anything) comes
 *   back unchanged in the claimed task's record, across retries.
 *
 * @example
 * const store = await openStore("/var/spool/app", { sync: "always" });
 * const { ids, wake } = await store.enqueueMany([{ name: "mail", args: { to: "a@b" } }]);
 * // … the wake travels to the claimers (master relay), which call store.notify(wake)
 * const c = await store.claim();
 * if (c) { await run(c.task); await store.complete(c); }
 * else await store.waitForWork(30_000);
 */
import type { TaskRecord } from "./task.ts";

export type { TaskRecord } from "./task.ts";

/** A task id: stable for the life of the task, across retries; unique in its store. */
export type TaskId = string;

/**
 * What an accepted task survives once `enqueue` resolved (--spooler-sync):
 * - `always` (default): the task and its directory entry are fsynced before
 *   the promise resolves: it survives a crash of any process and a power cut.
 * - `batch`: the same promise, but while one group's fsync is in flight the
 *   next calls wait (a few ms at most) and share the next fsync.
 * - `none`: resolves after the write is in the OS (no fsync): survives a
 *   crash of any process, not a power cut or kernel crash (uWSGI's level).
 * A store on a memory filesystem never fsyncs (nothing survives a power cut
 * there anyway). A Redis store maps these to its own acknowledgement levels.
 */
export type SyncMode = "always" | "batch" | "none";
export const SYNC_MODES: readonly SyncMode[] = ["always", "batch", "none"];

/** What a producer hands to `enqueue`; the store fills in the rest. */
export interface NewTask {
  /** Name of the registered task function. */
  name: string;
  /** Structured arguments (msgpack-able: Dates, Uint8Arrays and bigints round-trip). */
  args?: any;
  /** Raw bytes passed beside the args. */
  body?: Uint8Array;
  /** Not run before this time, unix ms. */
  at?: number;
  /** Non-negative integer; lower runs first, tasks without one run last. */
  priority?: number;
  /** Failed attempts allowed before failed (default in policy.ts). Infinity allowed. */
  retries?: number;
  /** Exponential back-off base in seconds (default in policy.ts). */
  backoff?: number;
  /** Dedup key: refused with SpoolError while a task with it is pending or running. */
  key?: string;
  /** Attempts already made (kept when a task is moved between stores). */
  attempts?: number;
  /** The last error text, one line. */
  lastError?: string;
  /** Opaque text carried unchanged into the claimed record (W3C trace context). */
  trace?: string;
}

/** The answer of `enqueueMany`. */
export interface Accepted {
  /** One id per task, in input order. */
  ids: TaskId[];
  /**
   * What to carry to the claimers' `notify()` (the producer sends it through
   * the master). It may name the new tasks so that a claimer finds them
   * without listing the store. "" when the store needs no wake note (e.g.
   * its `waitForWork` is a blocking pop); a claimer still gets `notify("")`.
   */
  wake: string;
}

/** A task held by one claim; pass it back unchanged to renew/complete/retry/fail. */
export interface ClaimedTask {
  id: TaskId;
  /** The task as stored, `attempts` = failed attempts before this run. */
  task: TaskRecord;
  /** Opaque proof of the claim (file store: the running/ path; Redis: a lease token). */
  token: string;
  /** Where the task lives while it runs, for log lines (a path, a key). */
  ref: string;
  /**
   * Unix ms when the claim lapses unless `renew`ed; undefined when the claim
   * lasts as long as the claiming process lives (the file store).
   */
  leaseUntil?: number;
}

/** Where a task is now. */
export type TaskState = "pending" | "running" | "failed" | "quarantined";

/** One task in a listing or `get()`. */
export interface TaskEntry {
  id: TaskId;
  state: TaskState;
  /** Store-specific location, shown to people and accepted by `readTask` (file store: a path that exists). */
  ref: string;
  /** Pending: when it may run; others: when it was due; unix ms. */
  dueAt?: number;
  priority?: number;
  /** Pid of the claimer (running only, when known). */
  pid?: number;
  /** The record, when it could be read (absent for quarantined garbage). */
  task?: TaskRecord;
  /** Why it was quarantined (or why a foreign entry is not a task). */
  reason?: string;
}

/** Exact task counts per state. */
export interface SpoolCounts { pending: number; running: number; failed: number; quarantined: number }

/** Per state: the exact count and the first `limit` entries in run order. */
export interface SpoolListing {
  pending: { count: number; entries: TaskEntry[] };
  running: { count: number; entries: TaskEntry[] };
  failed: { count: number; entries: TaskEntry[] };
  quarantined: { count: number; entries: TaskEntry[] };
  /** Entries that are not tasks and were not yet quarantined (inspection never moves them). */
  foreign: { ref: string; reason: string }[];
}

/** Options of `retry()`. */
export interface RetryOptions {
  /** Wait before the next run, ms (0 = at once). */
  delayMs: number;
  /** Error text kept in `lastError` (one line). */
  error?: string;
  /** Count this as a failed attempt (default true). False for SPOOL_RETRY / spoolforever re-runs. */
  countAttempt?: boolean;
}

/** Result of `recover()`. */
export interface RecoverResult {
  /** Ids put back to pending (attempt counted, back-off applied). */
  requeued: TaskId[];
  /** Ids moved to failed because their retry limit was exceeded. */
  failed: TaskId[];
}

/** Inspection and repair (`mulefarm spool …`, stats, `spooler_jobs`): reads never change the store. */
export interface SpoolInspection {
  /** Exact counts of tasks (not files, not batches) per state. No side effects. */
  counts(): Promise<SpoolCounts>;
  /** Counts and up to `limit` (default 100) entries per state, each with its record. No side effects. */
  list(opts?: { limit?: number }): Promise<SpoolListing>;
  /** One task by id (in any state) or by `ref`, or null. No side effects. */
  get(idOrRef: string): Promise<TaskEntry | null>;
  /** Refs of the pending tasks in run order (uwsgi.spooler_jobs: paths of files that exist). No side effects. */
  jobs(limit?: number): Promise<string[]>;
  /** The record at `ref` (a path relative to the store or absolute, or an id), or null (uwsgi.spooler_get_task). */
  readTask(ref: string): Promise<TaskRecord | null>;
  /**
   * Moves a failed task (or all) back to pending, due now (the file store:
   * at least 1 ms after its previous due time, so that a task's name is never
   * reused), attempts reset to
   * 0, lastError kept; returns how many moved. By id, a task whose dedup key
   * is taken again throws SpoolError; with "all" such tasks stay failed.
   */
  retryFailed(id: TaskId | "all"): Promise<number>;
  /** Deletes every failed task; returns how many. */
  purgeFailed(): Promise<number>;
}

/** The storage interface of a spooler. */
export interface SpoolStore extends SpoolInspection {
  /** The address it was opened with, as configured (a directory, `redis://…#NAME`). */
  readonly address: string;
  /** Its durability level (shown in stats and `spool ls`). */
  readonly sync: SyncMode;

  /** Accepts one task; resolves with its id once durable (per `sync`). Refuses bad fields with SpoolError naming them. */
  enqueue(task: NewTask): Promise<TaskId>;
  /**
   * Accepts many tasks with one durability barrier (group commit). All are
   * validated (and keys taken) before anything is stored; ids in input order.
   */
  enqueueMany(tasks: NewTask[]): Promise<Accepted>;

  /** Takes the next due task (see Order), or null when none is due now. Quarantines undecodable entries it meets. */
  claim(now?: number): Promise<ClaimedTask | null>;
  /** Extends a lease-based claim by `ms` (default: the store's lease); throws SpoolError if no longer held. */
  renew(claimed: ClaimedTask, ms?: number): Promise<void>;
  /** The task succeeded: forget it (and release its key). */
  complete(claimed: ClaimedTask): Promise<void>;
  /** Puts the task back, due in `delayMs`, attempts+1 unless `countAttempt` is false; id and trace kept. */
  retry(claimed: ClaimedTask, opts: RetryOptions): Promise<void>;
  /** Moves the task to failed with `error` and attempts+1 (this attempt counted); releases its key. */
  fail(claimed: ClaimedTask, error: string): Promise<void>;
  /**
   * Re-queues tasks whose claimer is dead (per `isAlive`, for pid-held
   * claims) or whose lease expired, counting the attempt; fails them past
   * their limit. Also cleans what dead producers abandoned.
   */
  recover(isAlive: (pid: number) => boolean): Promise<RecoverResult>;
  /** Earliest due time among pending tasks (unix ms), or null when none is pending (park, timers). */
  nextDueAt(): Promise<number | null>;

  /**
   * A wake arrived (the `wake` of some producer's `enqueueMany`, relayed by
   * the master; "" when it names nothing): the store notes what it names so
   * the next `claim` finds those tasks cheaply, and ends a `waitForWork`.
   * A wake is a hint: a lost or duplicated wake never loses or doubles a task.
   */
  notify(wake: string): void;
  /**
   * Resolves when there may be work: after a `notify`, an `interrupt`, the
   * earliest due time this store knows of, or `maxMs`, whichever comes
   * first. A Redis store may block on a pop here. Never rejects.
   */
  waitForWork(maxMs: number): Promise<void>;
  /** Ends the current (or next) `waitForWork` at once (shutdown, a new frequency). */
  interrupt(): void;

  /**
   * Gives back, with no attempt counted, whatever this handle took but did
   * not hand out (a store that claims several tasks at once), then releases
   * connections and timers; the store is not used afterwards. The claim loop
   * calls it after settling its last task (graceful stop, recycle, park).
   */
  close(): Promise<void>;
}

/** Options every store accepts (a store ignores what it has no use for). */
export interface OpenOptions {
  /** Durability of an accept (default "always"). */
  sync?: SyncMode;
  /** Told once per entry moved to quarantine (one log line). */
  onQuarantine?: (ref: string, reason: string, movedTo: string) => void;
  /** Who claims (default process.pid); tests fake a dead claimer with it. */
  owner?: number;
  /** Inspection only (`mulefarm spool ls|show`): never create the store if it does not exist. */
  inspect?: boolean;
}

/** What a store module default-exports (registered by scheme in open.ts). */
export type OpenStore = (address: string, opts: OpenOptions) => SpoolStore | Promise<SpoolStore>;
