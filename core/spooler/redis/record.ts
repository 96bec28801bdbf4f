// Between a task record and what the Redis scripts store: the record bytes
// (task.ts's encoding, never rewritten) plus a small JSON "meta" that the
// scripts change (attempts, lastError, due, state, claim). A claimed or
// listed task is the record with the meta laid over it.
import { SpoolError, oneLine } from "../../errors.ts";
import type { TaskEntry, TaskState } from "../store.ts";
import { decodeTask, encodeTask, type TaskRecord } from "../task.ts";
import { randomHex } from "../../base/random.ts";

let counter = 0;

/** A new task id: <enqueuedAt 13>-<pid 7>-<counter 8>-<random 8 hex>, the file store's shape (unique across instances by the random part). */
export function newTaskId(now: number): string {
  counter = (counter + 1) % 100_000_000;
  return `${String(Math.floor(now)).padStart(13, "0")}-${String(process.pid).padStart(7, "0")}-${String(counter).padStart(8, "0")}-${randomHex(4)}`;
}

/** The stored record with what the scripts changed since (attempts, error, due, failedAt). */
export function overlay(rec: TaskRecord, m: any): TaskRecord {
  const out: TaskRecord = { ...rec, attempts: Number(m.a ?? rec.attempts) };
  if (m.e !== undefined) out.lastError = m.e;
  if (m.at !== undefined) out.at = Number(m.at);
  if (m.f !== undefined) out.failedAt = Number(m.f);
  return out;
}

const STATES: Record<string, TaskState> = { p: "pending", r: "running", f: "failed", x: "quarantined" };

/** One listing row from a meta JSON and the record bytes (null when the task is gone). */
export function toEntry(ref: string, id: string, metaText: string | null, bytes: Uint8Array | null): TaskEntry | null {
  if (!metaText) return null;
  const m = JSON.parse(metaText);
  const e: TaskEntry = { id, state: STATES[m.s] ?? "pending", ref, dueAt: Number(m.d) };
  if (m.p !== undefined) e.priority = Number(m.p);
  if (m.s === "r") e.pid = Number(String(m.o ?? "").split("/").pop()) || undefined;
  if (bytes) { try { e.task = overlay(decodeTask(new Uint8Array(bytes)), m); } catch { /* quarantined garbage: no record */ } }
  return e;
}

/** The script arguments of one task: id rec due prio retries backoff key attempts lastError. */
export function taskArgs(id: string, rec: TaskRecord, now: number): (string | number | Uint8Array)[] {
  let bytes: Uint8Array;
  try {
    bytes = encodeTask(rec);
  } catch (e) {
    throw new SpoolError(`spool task "${rec.name}" has arguments msgpack cannot store: ${oneLine(e)}`);
  }
  return [
    id, bytes, Math.max(rec.at ?? 0, now),
    // Zero-padded: the ready set orders members as text.
    rec.priority === undefined ? "" : String(rec.priority).padStart(16, "0"),
    rec.retries === undefined ? "" : rec.retries === Infinity ? "inf" : String(rec.retries),
    rec.backoff === undefined ? "" : String(rec.backoff),
    rec.key ?? "", rec.attempts, rec.lastError ?? "",
  ];
}
