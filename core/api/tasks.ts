/**
 * Tasks you can follow and steer (issue #19): results, progress,
 * cancellation, pause/resume, batches and lifecycle events, on every spool
 * store (a directory or redis://…#NAME), from any process.
 *
 * @example
 * import { spool, taskResult, cancelTask, progress } from "mulefarm";
 * export const thumb = spool(async (a: { file: string }, meta) => {
 *   progress(0.5);
 *   if (meta?.signal?.aborted) return;
 *   return { width: 64 };
 * });
 * const id = await thumb.spool({ file: "a.png" });
 * const { width } = await taskResult(id, { timeout: 30 });
 */
import { SpoolError } from "../errors.ts";
import { ctx } from "../runtime/context.ts";
import { enqueue, storeFor, targetDir } from "../spooler/enqueue.ts";
import { controlFor } from "../spooler/control/open.ts";
import { cancelIn, setPausedIn, waitResult } from "../spooler/control/ops.ts";
import { currentTask } from "../spooler/control/current.ts";
import { BATCH_KEY, type BatchSummary } from "../spooler/control/batch.ts";
import type { SpoolEvent } from "../spooler/control/control.ts";
import type { NewTask } from "../spooler/store.ts";
import { randomHex } from "../base/random.ts";
import { setStat } from "../runtime/stats-push.ts";

export type { SpoolEvent, BatchSummary };

const resultTtlMs = () => (ctx.config?.spoolerResultTtl ?? 300) * 1000;

/**
 * The result of spool task `id`: resolves with what its function returned,
 * rejects with its final error (after its retries), TaskCancelled, or
 * TaskResultTimeout after `timeout` seconds. Results are kept
 * --spooler-result-ttl seconds (default 300); later, best effort.
 */
export async function taskResult<T = unknown>(id: string, opts: { timeout?: number; spooler?: string } = {}): Promise<T> {
  return (await waitResult(await controlFor(targetDir(opts.spooler)), id, opts.timeout)) as T;
}

/**
 * Cancels task `id`: pending, it never runs and its result rejects with
 * TaskCancelled; running, its function's `meta.signal` aborts, and a task
 * that does not end within --spooler-cancel-grace is killed (not retried).
 * Resolves with the state it was in, or null if it was not pending or running.
 * (Mule messages cannot be cancelled once accepted.)
 */
export async function cancelTask(id: string, opts: { spooler?: string } = {}): Promise<"pending" | "running" | null> {
  const address = targetDir(opts.spooler);
  return cancelIn(await storeFor(address), await controlFor(address), id, resultTtlMs());
}

/** Stops claims on a spooler (every process and instance sharing it); running tasks finish, spool() goes on. Survives restarts. */
export async function pauseSpooler(spooler?: string): Promise<void> {
  await setPausedIn(await controlFor(targetDir(spooler)), true);
}
/** Lets a paused spooler claim again. */
export async function resumeSpooler(spooler?: string): Promise<void> {
  await setPausedIn(await controlFor(targetDir(spooler)), false);
}
/** Whether a spooler is paused. */
export async function spoolerPaused(spooler?: string): Promise<boolean> {
  return (await controlFor(targetDir(spooler))).isPaused();
}

/**
 * Inside a spool task: reports its progress (a number or small JSON), seen
 * by `taskHandle(id).onProgress`, `mulefarm spool show` and `spoolEvents`.
 */
export async function progress(value: unknown): Promise<void> {
  const t = currentTask();
  if (!t) throw new SpoolError("progress() only works inside a spool task (in a spooler process)");
  // The stats show a number as it is (the dashboard's bar); other values only in `spool show` and events.
  if (typeof value === "number" && Number.isFinite(value)) setStat("progress", value);
  await t.control.setProgress(t.id, value, t.ttlMs);
  await t.control.emit({ type: "progress", id: t.id, name: t.name, value, at: Date.now() });
}

/**
 * Lifecycle events (completed, failed, progress, cancelled) of a spooler
 * from now on, in any process; `onReady` is called once nothing later can
 * be missed. Needs --spooler-result-ttl > 0 (the default).
 *
 * @example
 * // A worker streaming progress to a browser (SSE):
 * const body = new ReadableStream({ async start(c) {
 *   for await (const e of spoolEvents()) if (e.id === id) c.enqueue(`data: ${JSON.stringify(e)}\n\n`);
 * } });
 * return new Response(body, { headers: { "content-type": "text/event-stream" } });
 */
export async function* spoolEvents(spooler?: string, opts: { signal?: AbortSignal; onReady?: () => void } = {}): AsyncGenerator<SpoolEvent> {
  yield* (await controlFor(targetDir(spooler))).events(opts.signal, opts.onReady);
}

/** A handle on a spooled task: its result, its progress, cancel. */
export interface TaskHandle {
  id: string;
  result<T = unknown>(opts?: { timeout?: number }): Promise<T>;
  /** The last progress value, or undefined. */
  progress(): Promise<unknown>;
  /** Calls `fn` with each new progress value until the task ends; returns a stop function. */
  onProgress(fn: (value: unknown) => void): () => void;
  cancel(): Promise<"pending" | "running" | null>;
}

export function taskHandle(id: string, opts: { spooler?: string } = {}): TaskHandle {
  const address = targetDir(opts.spooler);
  return {
    id,
    result: (o = {}) => taskResult(id, { ...o, spooler: address }),
    progress: async () => (await controlFor(address)).getProgress(id),
    onProgress(fn) {
      let stopped = false;
      void (async () => {
        const c = await controlFor(address);
        let last: string | undefined;
        while (!stopped) {
          const v = await c.getProgress(id).catch(() => undefined);
          const k = v === undefined ? undefined : JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x));
          if (k !== undefined && k !== last) { last = k; fn(v); }
          if (await c.getResult(id).catch(() => null)) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      return () => { stopped = true; };
    },
    cancel: () => cancelTask(id, { spooler: address }),
  };
}

type TaskRef = { taskName: string } | string;

/** A batch member as stored: the same option keys as `.spool()` steer it (retries, priority, at, backoff, key). */
function memberTask(name: string, all: Record<string, unknown>, batchId: string): NewTask {
  const args: Record<string, unknown> = { [BATCH_KEY]: batchId };
  const t: NewTask = { name, args };
  for (const [k, v] of Object.entries(all)) {
    if (k === "retries" || k === "priority" || k === "backoff") t[k] = v as number;
    else if (k === "key") t.key = String(v);
    else if (k === "at") t.at = v instanceof Date ? v.getTime() : Number(v) * 1000;
    else if (k !== "spooler") args[k] = v;
  }
  return t;
}
const nameOf = (t: TaskRef) => (typeof t === "string" ? t : t.taskName);

/**
 * Spools `tasks` as one batch; when every one has ended for good,
 * `onComplete` (or, only if none failed, `onSuccess`) is spooled with
 * `{ ...args, batch, total, succeeded, failed }`. The callback runs at least once.
 */
export async function batch(
  tasks: Array<{ task: TaskRef; args?: Record<string, unknown> }>,
  opts: { onComplete?: TaskRef; onSuccess?: TaskRef; args?: Record<string, unknown>; spooler?: string } = {},
): Promise<{ batch: string; ids: string[] }> {
  if (!tasks.length) throw new SpoolError("batch() needs at least one task: got 0");
  const address = targetDir(opts.spooler);
  const id = `b${Date.now().toString(36)}${randomHex(6)}`;
  const cb = opts.onComplete ?? opts.onSuccess;
  await (await controlFor(address)).batchOpen({
    id, total: tasks.length, succeeded: 0, failed: 0,
    callback: cb ? { name: nameOf(cb), args: opts.args, when: opts.onComplete ? "complete" : "success" } : undefined,
  });
  const ids = await Promise.all(tasks.map((t) => enqueue(address, memberTask(nameOf(t.task), t.args ?? {}, id))));
  return { batch: id, ids };
}
