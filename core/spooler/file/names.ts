/**
 * Task ids and file names. The name alone orders the queue, so a claim never
 * has to open a file to pick the next one.
 *
 *   id       <enqueuedAt 13 digits>-<pid 7>-<counter 8>-<random 8 hex>[.<member 2 digits>]
 *   pending  <due 13 digits>_<id>.task     in DIR/ or DIR/<priority>/
 *
 *   group    <due 13 digits>_<group id>.group/NN.task   in DIR/ or DIR/<priority>/
 *   claimed  running/<group name>.<pid>/NN.task
 *
 * Tasks written together (group commit) are one directory: each member is a
 * name NN.task in it, a hard link to the one group file. Its id is the
 * group's id plus ".NN". A claimer takes the whole directory with one rename
 * and removes each member's name as it finishes it.
 *   running  running/<pending name>.<pid of the claimer>
 *   failed   failed/<pending name>
 *
 * `due` is max(at, enqueuedAt), so a plain name sort gives "due first, then
 * enqueue order", and every task behind a future one is also in the future.
 * The id never changes across retries; the due prefix does.
 *
 * @example
 * const id = newTaskId(Date.now());
 * pendingName(Date.now() + 5000, id); // "1730000005000_1730000000000-0001234-00000001-9f3ac2d1.task"
 */
import { randomHex } from "../../base/random.ts";

let counter = 0;

const ID_RE = /^\d{13}-\d{7,}-\d{8,}-[0-9a-f]{8}(?:\.\d{2})?$/;
const PENDING_RE = /^(\d{13})_(\d{13}-\d{7,}-\d{8,}-[0-9a-f]{8}(?:\.\d{2})?)\.task$/;
const RUNNING_RE = /^(.+\.task)\.(\d+)$/;
const GROUP_RE = /^(\d{13})_(\d{13}-\d{7,}-\d{8,}-[0-9a-f]{8})\.group$/;
const RUNNING_GROUP_RE = /^(.+\.group)\.(\d+)$/;
const MEMBER_RE = /^(\d{2})\.task$/;

const MAX_MS = 9_999_999_999_999; // 13 digits: year 2286

function ms13(t: number): string {
  return String(Math.min(Math.max(Math.floor(t), 0), MAX_MS)).padStart(13, "0");
}

// Drawn once per process: with the pid and the counter it keeps ids unique
// across processes and across a pid reused by a later process (the counter
// restarts), without a random draw per task.
let processRandom: string | null = null;
let pidText: string | null = null;

/** A new id, unique across processes (pid + counter + a per-process random), sortable by enqueue time. */
export function newTaskId(enqueuedAt: number): string {
  counter = (counter + 1) % 100_000_000;
  processRandom ??= randomHex(4);
  pidText ??= String(process.pid).padStart(7, "0");
  return `${ms13(enqueuedAt)}-${pidText}-${String(counter).padStart(8, "0")}-${processRandom}`;
}

/** The id of member `index` (0-99) of the group `groupId`. */
export function memberId(groupId: string, index: number): string {
  return `${groupId}.${String(index).padStart(2, "0")}`;
}

/** The index of a member id within its group, or null for a task stored alone. */
export function memberIndex(id: string): number | null {
  const m = /\.(\d{2})$/.exec(id);
  return m ? Number(m[1]) : null;
}

/** True if `s` has the shape of a task id (used to refuse path tricks in get/retry). */
export function isTaskId(s: string): boolean {
  return ID_RE.test(s);
}

/** The name of a pending file due at `due` (unix ms). */
export function pendingName(due: number, id: string): string {
  return `${ms13(due)}_${id}.task`;
}

/** Parses a pending (or failed) file name; null when it is not one of ours. */
export function parsePendingName(name: string): { due: number; id: string } | null {
  const m = PENDING_RE.exec(name);
  return m ? { due: Number(m[1]), id: m[2] } : null;
}

/** The name of a claimed file in running/. */
export function runningName(pending: string, pid: number): string {
  return `${pending}.${pid}`;
}

/** Parses a running/ file name; null when it is not one of ours. */
export function parseRunningName(name: string): { pending: string; due: number; id: string; pid: number } | null {
  const m = RUNNING_RE.exec(name);
  const p = m && parsePendingName(m[1]);
  return p ? { pending: m![1], ...p, pid: Number(m![2]) } : null;
}

/** The name of a group directory due at `due`. */
export function groupName(due: number, gid: string): string {
  return `${ms13(due)}_${gid}.group`;
}

/** Parses a pending group directory name; null when it is not one. */
export function parseGroupName(name: string): { due: number; gid: string } | null {
  const m = GROUP_RE.exec(name);
  return m ? { due: Number(m[1]), gid: m[2] } : null;
}

/** Parses a claimed group directory name (running/<group name>.<pid>). */
export function parseRunningGroup(name: string): { pending: string; due: number; gid: string; pid: number } | null {
  const m = RUNNING_GROUP_RE.exec(name);
  const g = m && parseGroupName(m[1]);
  return g ? { pending: m![1], ...g, pid: Number(m![2]) } : null;
}

/** The file name of member `index` inside its group directory. */
export function memberFile(index: number): string {
  return `${String(index).padStart(2, "0")}.task`;
}

/** The index of a member file name (NN.task), or null. */
export function parseMemberFile(name: string): number | null {
  const m = MEMBER_RE.exec(name);
  return m ? Number(m[1]) : null;
}
