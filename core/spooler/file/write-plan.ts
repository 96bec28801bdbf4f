/**
 * What a write of tasks puts where (file store): each task gets its id and
 * its name; keyed tasks get a file each (a refused key refuses only its own
 * task's file); the others are grouped by priority and due time, up to
 * GROUP_MAX per group: one group directory holding one encoded group file
 * linked under one name per member (NN.task). Pure planning: nothing is written here (levelDir may create a
 * priority directory).
 *
 * @example
 * const plan = planWrite([{ name: "a" }, { name: "b" }], Date.now(), levelDir);
 * plan.groups[0].n; // 2
 */
import type { NewTask, TaskId } from "../store.ts";
import { dueOf, encodeOrRefuse, newRecord } from "../record.ts";
import { groupName, memberId, newTaskId, pendingName } from "./names.ts";
import { GROUP } from "./read.ts";

/** Tasks of one group file at most (member ids have two digits). */
export const GROUP_MAX = 64;

export interface WritePlan {
  ids: TaskId[];
  /** Per task, its name (or its group's) relative to the spool dir ("NAME" or "PRIORITY/NAME"): the wake note. */
  rels: string[];
  /** Files of one task each; `note` is the task's index in `rels` (its wake note line). */
  singles: { path: string; data: Uint8Array; note?: number }[];
  /** Group directories: `path` (its final name), the group file, how many members. */
  groups: { data: Uint8Array; path: string; n: number }[];
  /** [key, id] of the keyed tasks, to take before writing. */
  keyed: [string, TaskId][];
  /** Directories to fsync besides the targets' (the parent of a priority directory just made). */
  newDirs: Set<string>;
}

/** Validates and places `tasks` (throws SpoolError on a bad field, before anything is written). */
export function planWrite(tasks: NewTask[], now: number, levelDir: (priority: number | undefined, newDirs: Set<string>) => string): WritePlan {
  const recs = tasks.map((t) => newRecord(t, now));
  const plan: WritePlan = { ids: new Array(tasks.length), rels: new Array(tasks.length), singles: [], groups: [], keyed: [], newDirs: new Set() };
  const place = (i: number, id: TaskId) => {
    const rec = recs[i];
    const dir = levelDir(rec.priority, plan.newDirs);
    const name = pendingName(dueOf(rec), id);
    plan.ids[i] = id;
    plan.rels[i] = rec.priority === undefined ? name : `${rec.priority}/${name}`;
    return `${dir}/${name}`;
  };
  const flushGroup = (idx: number[]) => {
    if (idx.length === 1) {
      plan.singles.push({ path: place(idx[0], newTaskId(now)), data: encodeOrRefuse(recs[idx[0]]), note: idx[0] });
      return;
    }
    const gid = newTaskId(now);
    const first = recs[idx[0]];
    const dir = levelDir(first.priority, plan.newDirs);
    const name = groupName(dueOf(first), gid);
    const rel = first.priority === undefined ? name : `${first.priority}/${name}`;
    idx.forEach((i, k) => { plan.ids[i] = memberId(gid, k); plan.rels[i] = rel; });
    const data = encodeOrRefuse({ v: 1, name: GROUP, args: { tasks: idx.map((i) => recs[i]) }, attempts: 0, enqueuedAt: now });
    plan.groups.push({ data, path: `${dir}/${name}`, n: idx.length });
  };
  const open = new Map<string, number[]>();
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i];
    if (r.key !== undefined) {
      plan.singles.push({ path: place(i, newTaskId(now)), data: encodeOrRefuse(r), note: i });
      plan.keyed.push([r.key, plan.ids[i]]);
      continue;
    }
    const k = `${r.priority ?? ""}|${dueOf(r)}`;
    let g = open.get(k);
    if (!g) open.set(k, (g = []));
    g.push(i);
    if (g.length === GROUP_MAX) { flushGroup(g); open.delete(k); }
  }
  for (const g of open.values()) flushGroup(g);
  return plan;
}
