/**
 * Task control beside a spool store: what issue #19 adds to the queue itself
 * (results, cancel marks, pause, progress, lifecycle events, start-rate
 * slots, batch counters). A store keeps tasks; its control keeps what people
 * ask about tasks. Each store scheme has one (file.ts: files under
 * DIR/state/; redis.ts: keys under the spool's hash tag), opened by
 * `openControl(address)` (open.ts) and shared by every process and instance
 * that opens the same address.
 *
 * Promises (the control conformance suite checks each one on both stores):
 * - a result written is readable by id from any process until its TTL ends,
 *   then it may vanish (best effort beyond the TTL);
 * - a cancel mark, the pause flag and batch counts are durable as the
 *   store's own files/keys are (pause survives restarts);
 * - `takeStart` hands out at most N start slots per window across every
 *   process sharing the address;
 * - `batchDone` counts each task id once (a re-run after a crash does not
 *   count twice) and returns the batch to a caller that finds every task
 *   counted (on a directory two callers at the same moment can both find
 *   it): the callback runs at least once;
 * - events are appended in order per process and read by any process
 *   (`events()` starts at the end: only events after the call).
 */
export type TaskId = string;

/**
 * A claimer's view of the pause flag and of "any cancel outstanding" is at
 * most this old (Redis caches them); pauseSpooler and cancelTask wait it out.
 */
export const PAUSE_CACHE_MS = 100;

/** How a task ended, as kept for `taskResult`. */
export type TaskResult =
  | { state: "completed"; value: unknown; at: number }
  | { state: "failed"; code: string; message: string; at: number }
  | { state: "cancelled"; at: number };

/** One lifecycle event (`spoolEvents`). */
export interface SpoolEvent {
  type: "completed" | "failed" | "progress" | "cancelled";
  id: TaskId;
  /** Task function name, when known. */
  name?: string;
  /** completed: the return value; progress: the value given to progress(). */
  value?: unknown;
  /** failed: the error's code and message. */
  code?: string;
  message?: string;
  /** Unix ms when it happened. */
  at: number;
}

/** A batch's bookkeeping, as `batchDone` reports it once the last task finished. */
export interface BatchState {
  id: string;
  total: number;
  succeeded: number;
  failed: number;
  /** What to spool when done: { name, args, when: "complete" | "success" }. */
  callback?: { name: string; args?: unknown; when: "complete" | "success" };
}

export interface TaskControl {
  readonly address: string;
  putResult(id: TaskId, r: TaskResult, ttlMs: number): Promise<void>;
  getResult(id: TaskId): Promise<TaskResult | null>;

  /** Marks `id` cancelled (kept `ttlMs`); claimers drop it, a running one is aborted. */
  markCancelled(id: TaskId, ttlMs: number): Promise<void>;
  /** Whether `id` is marked (a claimer asks before each run; cheap when no mark is outstanding). */
  isCancelled(id: TaskId): Promise<boolean>;
  /** The mark of `id` was acted on (the task was dropped or settled as cancelled): forget it. */
  clearCancelled(id: TaskId): Promise<void>;

  setPaused(paused: boolean): Promise<void>;
  /** The shared pause flag (a claimer may see a change up to ~100 ms late). */
  isPaused(): Promise<boolean>;

  setProgress(id: TaskId, value: unknown, ttlMs: number): Promise<void>;
  getProgress(id: TaskId): Promise<unknown | undefined>;

  emit(e: SpoolEvent): Promise<void>;
  /** Events from now on, until `signal` aborts; `onReady` is called once the reader is positioned (nothing later is missed). */
  events(signal?: AbortSignal, onReady?: () => void): AsyncIterable<SpoolEvent>;

  /**
   * One task start under a limit of `n` per `windowMs` across every process:
   * 0 when this start may go now (and is counted), else ms to wait before asking again.
   */
  takeStart(n: number, windowMs: number): Promise<number>;

  /** Groups (lanes.ts): records that group `g` has a lane (idempotent), and lists them. */
  addGroup(g: string): Promise<void>;
  listGroups(): Promise<string[]>;
  /** A run slot of group `g` for `holder` (at most `cap` held at once, each for `leaseMs` unless renewed); false when all are taken. */
  takeGroupSlot(g: string, cap: number, holder: string, leaseMs: number): Promise<boolean>;
  renewGroupSlot(g: string, holder: string, leaseMs: number): Promise<void>;
  releaseGroupSlot(g: string, holder: string): Promise<void>;

  /** Records a new batch of `total` tasks (before its tasks are spooled). */
  batchOpen(b: BatchState): Promise<void>;
  /** Counts task `id` of batch `batchId` as finished (once per id); returns the batch when every task has finished. */
  batchDone(batchId: string, id: TaskId, ok: boolean): Promise<BatchState | null>;
  /** Forgets a batch whose callback was spooled. */
  batchClose(batchId: string): Promise<void>;

  close(): Promise<void>;
}
