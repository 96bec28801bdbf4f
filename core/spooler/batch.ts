// Group commit: tasks accepted in the same turn of the event loop are stored
// as one "batch" task file (up to BATCH_MAX tasks), so one fsync makes many
// tasks durable. A spooler runs a batch's tasks one by one and notes each
// finished one in DIR/progress/<batch id>, so a batch interrupted by a crash
// is split into its unfinished tasks instead of running finished ones again
// (at-least-once still holds: the note is written after the task ends).
import { appendFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { NewTask } from "./backend.ts";

export const BATCH = "mulefarm.batch";
export const BATCH_MAX = 64;

export interface BatchArgs { tasks: NewTask[] }

function progressFile(dir: string, batchId: string): string {
  return join(dir, "progress", batchId.replace(/[^\w.-]/g, "_"));
}

/** Indexes of a batch's tasks that already finished. */
export function finishedOf(dir: string, batchId: string): Set<number> {
  try {
    return new Set(readFileSync(progressFile(dir, batchId), "utf8").split("\n").filter(Boolean).map(Number));
  } catch {
    return new Set();
  }
}

export function markFinished(dir: string, batchId: string, index: number): void {
  const f = progressFile(dir, batchId);
  try {
    appendFileSync(f, `${index}\n`);
  } catch {
    mkdirSync(join(dir, "progress"), { recursive: true, mode: 0o700 });
    appendFileSync(f, `${index}\n`);
  }
}

export function forgetProgress(dir: string, batchId: string): void {
  rmSync(progressFile(dir, batchId), { force: true });
}

/** Splits tasks into batches that share what a task file holds once: priority and due time. */
export function groupForBatches(tasks: NewTask[]): NewTask[][] {
  const groups = new Map<string, NewTask[]>();
  const out: NewTask[][] = [];
  for (const t of tasks) {
    if (t.key !== undefined) { out.push([t]); continue; } // dedup keys stay one per file
    const k = `${t.priority ?? ""}|${t.at ?? ""}`;
    let g = groups.get(k);
    if (!g || g.length >= BATCH_MAX) { g = []; groups.set(k, g); out.push(g); }
    g.push(t);
  }
  return out;
}
