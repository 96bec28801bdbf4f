/**
 * From a producer's NewTask to the stored TaskRecord: the validation every
 * store applies before accepting, so that every store refuses the same bad
 * fields with the same message ("rule: got value").
 *
 * @example
 * const rec = newRecord({ name: "mail", args: { to: "a@b" } }, Date.now());
 */
import { SpoolError, oneLine, shown } from "../errors.ts";
import type { NewTask } from "./store.ts";
import { encodeTask, type TaskRecord } from "./task.ts";

/** Validates a NewTask and builds its first record; throws SpoolError naming the bad field. */
export function newRecord(t: NewTask, now: number): TaskRecord {
  const bad = (what: string, v: unknown) => new SpoolError(`spool task ${what}: got ${shown(v)}`);
  if (typeof t?.name !== "string" || t.name === "") throw bad("name must be a non-empty string", t?.name);
  if (t.at !== undefined && !Number.isFinite(t.at)) throw bad("at must be a unix time in ms", t.at);
  if (t.priority !== undefined && !(Number.isSafeInteger(t.priority) && t.priority >= 0 && t.priority < 1e15)) {
    throw bad("priority must be a non-negative integer", t.priority);
  }
  if (t.retries !== undefined && !(t.retries >= 0 && (Number.isInteger(t.retries) || t.retries === Infinity))) {
    throw bad("retries must be a non-negative integer or Infinity", t.retries);
  }
  if (t.backoff !== undefined && !(Number.isFinite(t.backoff) && t.backoff >= 0)) {
    throw bad("backoff must be a non-negative number of seconds", t.backoff);
  }
  if (t.key !== undefined && (typeof t.key !== "string" || t.key === "")) throw bad("key must be a non-empty string", t.key);
  if (t.body !== undefined && !(t.body instanceof Uint8Array)) throw bad("body must be a Uint8Array", t.body);
  if (t.trace !== undefined && typeof t.trace !== "string") throw bad("trace must be a string", t.trace);
  return {
    v: 1, name: t.name, args: t.args ?? null, body: t.body, at: t.at, priority: t.priority,
    retries: t.retries, backoff: t.backoff, attempts: t.attempts ?? 0, key: t.key, enqueuedAt: now,
    ...(t.lastError !== undefined ? { lastError: oneLine(t.lastError) } : {}),
    ...(t.trace !== undefined ? { trace: t.trace } : {}),
  };
}

/** encodeTask, with a SpoolError naming the task when its arguments cannot be stored. */
export function encodeOrRefuse(rec: TaskRecord): Uint8Array {
  try {
    return encodeTask(rec);
  } catch (e) {
    throw new SpoolError(`spool task "${rec.name}" has arguments msgpack cannot store: ${oneLine(e)}`);
  }
}

/** When a task becomes runnable: its `at`, but never before it was enqueued (keeps FIFO for past `at`). */
export function dueOf(task: { at?: number; enqueuedAt: number }): number {
  return Math.max(task.at ?? 0, task.enqueuedAt);
}
