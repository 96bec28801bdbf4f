/**
 * Looking at a spool directory without changing it: counts, listings, one
 * task, the pending paths (uwsgi.spooler_jobs) and reading one task
 * (uwsgi.spooler_get_task). Nothing here renames, quarantines, creates or
 * deletes: a file that is not a task is reported in `foreign` and left for a
 * spooler to move. Every count is of tasks: each task has its own name.
 *
 * @example
 * const ins = new FileInspection(paths);
 * (await ins.counts()).pending;  // tasks waiting, members of group files included
 */
import { readdirSync, readFileSync } from "node:fs";
import { fsp } from "../../base/lazy-builtins.ts";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import type { SpoolCounts, SpoolListing, TaskEntry, TaskId, TaskRecord, TaskState } from "../store.ts";
import { type Level, scanPending } from "./scan.ts";
import { isTaskId, memberIndex, parseGroupName, parseMemberFile, parsePendingName, parseRunningGroup, parseRunningName } from "./names.ts";
import { memberOf, readRecord } from "./read.ts";
import { REASON_SUFFIX } from "./quarantine.ts";

/** The directories of one spool. */
export interface Paths { dir: string; tmp: string; running: string; failed: string; quarantine: string; keys: string }

const PRIORITY_RE = /^\d{1,15}$/;

export class FileInspection {
  constructor(readonly paths: Paths) {}

  /** Exact task counts, from directory listings only (no file is opened); async, so a master stays responsive. */
  async counts(): Promise<SpoolCounts> {
    const names = async (d: string) => { try { return await fsp().readdir(d); } catch { return [] as string[]; } };
    const members = async (d: string) => (await names(d)).filter((f) => parseMemberFile(f) !== null).length;
    const level = async (d: string) => {
      let n = 0;
      for (const e of await names(d)) {
        if (parsePendingName(e)) n++;
        else if (parseGroupName(e)) n += await members(join(d, e));
      }
      return n;
    };
    let pending = await level(this.paths.dir);
    for (const n of await names(this.paths.dir)) if (PRIORITY_RE.test(n)) pending += await level(join(this.paths.dir, n));
    let running = 0;
    for (const n of await names(this.paths.running)) {
      if (parseRunningName(n)) running++;
      else if (parseRunningGroup(n)) running += await members(join(this.paths.running, n));
    }
    return {
      pending,
      running,
      failed: (await names(this.paths.failed)).filter((n) => parsePendingName(n)).length,
      quarantined: (await names(this.paths.quarantine)).filter((n) => !n.endsWith(REASON_SUFFIX)).length,
    };
  }

  /** Counts and up to `limit` (default 100) entries per state, in run order; foreign files reported, not moved. */
  async list(opts: { limit?: number } = {}): Promise<SpoolListing> {
    const limit = opts.limit ?? 100;
    const out: SpoolListing = {
      pending: { count: 0, entries: [] }, running: { count: 0, entries: [] },
      failed: { count: 0, entries: [] }, quarantined: { count: 0, entries: [] }, foreign: [],
    };
    const add = (state: TaskState, e: () => TaskEntry) => {
      const bucket = out[state];
      if (bucket.count++ < limit) bucket.entries.push(e());
    };
    const foreign = (ref: string, reason: string) => void out.foreign.push({ ref, reason });
    for (const lv of this.levels(foreign)) {
      for (const t of expand(lv.dir, lv.names)) add("pending", () => entry(t.id, "pending", t.path, t.due, lv.priority ?? undefined));
    }
    for (const name of ls(this.paths.running)) {
      const p = parseRunningName(name), g = p ? null : parseRunningGroup(name);
      if (p) add("running", () => ({ ...entry(p.id, "running", join(this.paths.running, name), p.due), pid: p.pid }));
      else if (g) for (const f of members(join(this.paths.running, name))) add("running", () => ({ ...entry(`${g.gid}.${f.slice(0, 2)}`, "running", join(this.paths.running, name, f), g.due), pid: g.pid }));
      else foreign(join(this.paths.running, name), "unexpected file name in running/");
    }
    for (const name of ls(this.paths.failed)) {
      const p = parsePendingName(name);
      if (!p) { foreign(join(this.paths.failed, name), "unexpected file name in failed/"); continue; }
      add("failed", () => entry(p.id, "failed", join(this.paths.failed, name), p.due));
    }
    for (const name of ls(this.paths.quarantine)) {
      if (name.endsWith(REASON_SUFFIX)) continue;
      const ref = join(this.paths.quarantine, name);
      add("quarantined", () => ({ id: name, state: "quarantined", ref, reason: readReason(ref) }));
    }
    return out;
  }

  /** One task by id, or by a path (absolute, or relative to the spool dir), in any state; null if unknown. */
  async get(idOrRef: string): Promise<TaskEntry | null> {
    if (isTaskId(idOrRef)) return this.locate(idOrRef);
    const path = isAbsolute(idOrRef) ? idOrRef : resolve(this.paths.dir, idOrRef);
    const name = basename(path), parent = dirname(path);
    const m = memberOfPath(path);
    if (m) {
      const state: TaskState = dirname(parent) === this.paths.running ? "running" : "pending";
      const e = entry(m.id, state, path, m.due);
      return e.task ? { ...e, pid: m.pid } : null;
    }
    const run = parent === this.paths.running ? parseRunningName(name) : null;
    if (run) return { ...entry(run.id, "running", path, run.due), pid: run.pid };
    const p = parsePendingName(name);
    if (!p) return null;
    const state: TaskState = parent === this.paths.failed ? "failed" : "pending";
    const e = entry(p.id, state, path, p.due);
    return e.task ? e : null;
  }

  /** Absolute paths of the pending tasks in run order (each one a file that exists when listed). */
  async jobs(limit = Infinity): Promise<string[]> {
    const out: string[] = [];
    for (const lv of this.levels(() => {})) {
      for (const t of expand(lv.dir, lv.names)) {
        if (out.length >= limit) return out;
        out.push(t.path);
      }
    }
    return out;
  }

  /** The task at a path (absolute, relative to the cwd or to the spool dir) or with an id; null if none. */
  async readTask(ref: string): Promise<TaskRecord | null> {
    const tries = isAbsolute(ref) ? [ref] : [resolve(ref), resolve(this.paths.dir, ref)];
    for (const path of tries) {
      const name = basename(path);
      const id = parsePendingName(name)?.id ?? parseRunningName(name)?.id ?? memberOfPath(path)?.id;
      try {
        const rec = readRecord(path);
        return id ? memberOf(rec, id) : rec;
      } catch { /* not there, or not a task: try the next reading */ }
    }
    return isTaskId(ref) ? (await this.locate(ref))?.task ?? null : null;
  }

  /** Where a task id is now, with its record; null if unknown. */
  protected locate(id: TaskId): TaskEntry | null {
    const k = memberIndex(id);
    if (k !== null) {
      // Still in its group directory (pending, or claimed), or on its own after a retry.
      const gid = id.slice(0, -3), f = `${id.slice(-2)}.task`;
      const run = ls(this.paths.running).find((n) => n.includes(`_${gid}.group.`));
      if (run && members(join(this.paths.running, run)).includes(f)) {
        const g = parseRunningGroup(run)!;
        return { ...entry(id, "running", join(this.paths.running, run, f), g.due), pid: g.pid };
      }
      for (const lv of this.levels(() => {})) {
        const name = lv.names.find((n) => n.endsWith(`_${gid}.group`));
        if (name && members(join(lv.dir, name)).includes(f)) return entry(id, "pending", join(lv.dir, name, f), parseGroupName(name)!.due, lv.priority ?? undefined);
      }
    }
    const suffix = `_${id}.task`;
    const run = ls(this.paths.running).find((n) => n.includes(suffix + "."));
    if (run) {
      const p = parseRunningName(run)!;
      return { ...entry(id, "running", join(this.paths.running, run), p.due), pid: p.pid };
    }
    for (const lv of this.levels(() => {})) {
      const name = lv.names.find((n) => n.endsWith(suffix));
      if (name) return entry(id, "pending", join(lv.dir, name), parsePendingName(name)!.due, lv.priority ?? undefined);
    }
    const failed = ls(this.paths.failed).find((n) => n.endsWith(suffix));
    return failed ? entry(id, "failed", join(this.paths.failed, failed), parsePendingName(failed)!.due) : null;
  }

  private levels(foreign: (path: string, reason: string) => void): Level[] {
    try { return scanPending(this.paths.dir, foreign); } catch (e) { if ((e as NodeJS.ErrnoException).code === "ENOENT") return []; throw e; }
  }
}

/** The tasks of a level's names, in run order: a task file, or each member of a group directory. */
function* expand(dir: string, names: string[]): Generator<{ id: string; path: string; due: number }> {
  for (const name of names) {
    const p = parsePendingName(name);
    if (p) { yield { id: p.id, path: join(dir, name), due: p.due }; continue; }
    const g = parseGroupName(name);
    if (g) for (const f of members(join(dir, name))) yield { id: `${g.gid}.${f.slice(0, 2)}`, path: join(dir, name, f), due: g.due };
  }
}

/** The member files of a group directory, sorted ([] if it is gone). */
function members(dir: string): string[] {
  return ls(dir).filter((f) => parseMemberFile(f) !== null);
}

/** A member's id and due time from its path (…/<group>[.<pid>]/NN.task), or null. */
function memberOfPath(path: string): { id: string; due: number; pid?: number } | null {
  const k = parseMemberFile(basename(path));
  if (k === null) return null;
  const dir = basename(dirname(path));
  const g = parseGroupName(dir), r = g ? null : parseRunningGroup(dir);
  const grp = g ?? r;
  return grp ? { id: `${grp.gid}.${basename(path).slice(0, 2)}`, due: grp.due, pid: r?.pid } : null;
}

function ls(dir: string): string[] {
  try { return readdirSync(dir).sort(); } catch (e) { if ((e as NodeJS.ErrnoException).code === "ENOENT") return []; throw e; }
}

function entry(id: string, state: TaskState, ref: string, dueAt?: number, priority?: number): TaskEntry {
  let task: TaskRecord | undefined;
  try { task = memberOf(readRecord(ref), id); } catch { /* moved meanwhile, or corrupt: listed without record */ }
  return { id, state, ref, dueAt, priority: priority ?? task?.priority, task };
}

function readReason(ref: string): string | undefined {
  try { return readFileSync(ref + REASON_SUFFIX, "utf8").trim(); } catch { return undefined; }
}
