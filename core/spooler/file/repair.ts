/**
 * Repairs of a spool directory (file store): re-queueing the tasks of dead
 * claimers (`recover`), moving failed tasks back (`retryFailed`), and
 * removing temp files abandoned by dead writers.
 *
 * @example
 * await recoverDead(store, pidIsAlive);
 */
import { readdirSync, renameSync, rmdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ClaimedTask, RecoverResult, TaskId, TaskRecord } from "../store.ts";
import { TaskDecodeError } from "../task.ts";
import { dueOf } from "../record.ts";
import { backoffMs, mayRetry } from "../policy.ts";
import { parseMemberFile, parsePendingName, parseRunningGroup, parseRunningName, pendingName, runningName } from "./names.ts";
import { fsyncDir, tmpOwner } from "./durable-write.ts";
import { memberOf, readRecord } from "./read.ts";
import type { KeyMarkers } from "./key-marker.ts";
import type { ClaimIndex } from "./claim-index.ts";
import type { Paths } from "./inspect.ts";

/** What the repairs need of a file store (store.ts passes itself). */
export interface Repairable {
  readonly paths: Paths;
  readonly owner: number;
  readonly keys: KeyMarkers;
  readonly index: ClaimIndex;
  readonly sync: string;
  retry(claimed: ClaimedTask, opts: { delayMs: number; error?: string }): Promise<void>;
  fail(claimed: ClaimedTask, error: string): Promise<void>;
  rewriteAndMove(claimed: ClaimedTask, rec: TaskRecord, dest: string): Promise<void>;
  levelDirSynced(priority: number | undefined): Promise<string>;
  quarantine(path: string, reason: string, from?: string): void;
}

function isENOENT(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === "ENOENT";
}

// A temp file this old whose writer is dead was abandoned mid-enqueue (never accepted).
const ABANDONED_TMP_MS = 10 * 60_000;

/**
 * Claims whose process is dead (per `isAlive`) count as a failed attempt:
 * re-queued with back-off, or moved to failed/ with "process died while
 * running the task (attempt N)" past the retry limit. This is how a task that
 * kills its process every time stops looping.
 */
export async function recoverDead(s: Repairable, isAlive: (pid: number) => boolean): Promise<RecoverResult> {
  const result: RecoverResult = { requeued: [], failed: [] };
  for (const name of readdirSync(s.paths.running)) {
    const path = join(s.paths.running, name);
    const p = parseRunningName(name), g = p ? null : parseRunningGroup(name);
    if (!p && !g) { s.quarantine(path, "unexpected file name in running/"); continue; }
    const pid = (p ?? g)!.pid, pending = (p ?? g)!.pending;
    if (pid === s.owner || pid === process.pid || isAlive(pid)) continue;
    // Take the claim over first: of two recoverers only one wins this rename.
    const mine = join(s.paths.running, runningName(pending, s.owner));
    try { renameSync(path, mine); } catch (e) { if (isENOENT(e)) continue; throw e; }
    if (p) {
      await requeueOne(s, result, mine, p.id, path);
      continue;
    }
    // A group: its first member left was in hand when the claimer died (finished ones are
    // gone): that one counts the attempt; the others go back as a group, untouched.
    const members = readdirSync(mine).filter((f) => parseMemberFile(f) !== null).sort();
    if (members.length) await requeueOne(s, result, join(mine, members[0]), `${g!.gid}.${members[0].slice(0, 2)}`, path);
    if (members.length > 1) {
      const priority = memberOf(readRecord(join(mine, members[1])), `${g!.gid}.${members[1].slice(0, 2)}`).priority;
      const level = await s.levelDirSynced(priority);
      renameSync(mine, join(level, pending));
      if (s.index.scanned()) s.index.insert(priority === undefined ? pending : `${priority}/${pending}`);
    } else {
      try { rmdirSync(mine); } catch { /* gone */ }
    }
  }
  removeAbandonedTmp(s, isAlive);
  return result;
}

/** A task whose claimer died: its attempt counted, then back with back-off or to failed/. */
async function requeueOne(s: Repairable, result: RecoverResult, token: string, id: string, from: string) {
  let task: TaskRecord;
  try {
    task = memberOf(readRecord(token), id);
  } catch (e) {
    if (!(e instanceof TaskDecodeError)) throw e;
    s.quarantine(token, e.message, from);
    return;
  }
  const claimed: ClaimedTask = { id, task, token, ref: token };
  const n = task.attempts + 1;
  const error = `process died while running the task (attempt ${n})`;
  if (mayRetry(task, n)) {
    await s.retry(claimed, { delayMs: backoffMs(task, n), error });
    result.requeued.push(id);
  } else {
    await s.fail(claimed, error);
    result.failed.push(id);
  }
}

/** Moves failed tasks back to pending, due now, attempts reset (lastError kept); by id, a taken key throws. */
export async function retryFailed(s: Repairable, id: TaskId | "all"): Promise<number> {
  let moved = 0;
  const dirs = new Set<string>();
  for (const name of readdirSync(s.paths.failed)) {
    const p = parsePendingName(name);
    if (!p || (id !== "all" && p.id !== id)) continue;
    // Claim it like a pending task so two concurrent retries cannot both move it.
    const mine = join(s.paths.running, runningName(name, s.owner));
    try { renameSync(join(s.paths.failed, name), mine); } catch (e) { if (isENOENT(e)) continue; throw e; }
    let task: TaskRecord;
    try { task = memberOf(readRecord(mine), p.id); } catch (e) {
      if (!(e instanceof TaskDecodeError)) throw e;
      s.quarantine(mine, e.message, join(s.paths.failed, name));
      continue;
    }
    if (task.key !== undefined) {
      try {
        await s.keys.acquire(task.key, p.id);
      } catch (e) {
        renameSync(mine, join(s.paths.failed, name));
        if (id === "all") continue;
        throw e;
      }
    }
    // Due strictly later than its earlier names: a name is never reused (see the store's notify()).
    const rec: TaskRecord = { ...task, attempts: 0, at: Math.max(Date.now(), p.due + 1), failedAt: undefined };
    const dir = await s.levelDirSynced(rec.priority);
    const pname = pendingName(dueOf(rec), p.id);
    await s.rewriteAndMove({ id: p.id, task, token: mine, ref: mine }, rec, join(dir, pname));
    if (s.index.scanned()) s.index.insert(rec.priority === undefined ? pname : `${rec.priority}/${pname}`);
    dirs.add(dir);
    moved++;
  }
  if (s.sync !== "none") await Promise.all([...dirs].map(fsyncDir));
  return moved;
}

function removeAbandonedTmp(s: Repairable, alive: (pid: number) => boolean): void {
  const now = Date.now();
  for (const name of readdirSync(s.paths.tmp)) {
    const owner = tmpOwner(name);
    if (owner === null || owner === process.pid || alive(owner)) continue;
    const path = join(s.paths.tmp, name);
    try {
      if (now - statSync(path).mtimeMs > ABANDONED_TMP_MS) rmSync(path, { recursive: true, force: true }); // a file, or a group directory
    } catch { /* raced with its writer or another cleaner */ }
  }
}
