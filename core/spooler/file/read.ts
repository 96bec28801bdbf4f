/**
 * Reading one task name of the file store. A name is either a task stored
 * alone or a member of a group file (one inode linked under one name per
 * member, see names.ts): the member's record is `args.tasks[index]` of the
 * group record. A group is decoded once per claimer, not once per member:
 * the last group read is kept, keyed by inode, size and mtime (a group file
 * is never rewritten in place: a retried member gets a new inode).
 *
 * @example
 * const rec = readTaskAt("/spool/running/1733…_1733….03.task.4242", "1733….03");
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { decodeTask, TaskDecodeError, type TaskRecord } from "../task.ts";
import { memberIndex } from "./names.ts";

/** Name of a group record; its args are `{ tasks: TaskRecord[] }`. */
export const GROUP = "mulefarm.batch";

let cached: { key: string; rec: TaskRecord } | null = null;

const buf = new Uint8Array(64 * 1024);

/**
 * The decoded record of the file at `path` (a group stays a group); throws
 * TaskDecodeError or an fs error. `single`: the name says the task is stored
 * alone, so no group cache is looked up (no stat).
 */
export function readRecord(path: string, single = false): TaskRecord {
  // A member of a group already read: one stat, no open (the names of a group
  // run back to back, so a claimer decodes each group file once).
  let key = "";
  if (!single) {
    const st = statSync(path);
    key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
    if (cached?.key === key) return cached.rec;
  }
  const fd = openSync(path, "r");
  try {
    if (single) {
      // Most task files are small: one read into a reused buffer, then read on if it filled up.
      let n = readSync(fd, buf, 0, buf.length, 0);
      if (n < buf.length) return decodeTask(buf.slice(0, n));
      const parts = [buf.slice(0, n)];
      for (let off = n; (n = readSync(fd, buf, 0, buf.length, off)) > 0; off += n) parts.push(buf.slice(0, n));
      const all = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
      let o = 0;
      for (const p of parts) { all.set(p, o); o += p.length; }
      return decodeTask(all);
    }
    const st = fstatSync(fd);
    key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
    const data = new Uint8Array(st.size);
    for (let off = 0; off < data.length;) {
      const n = readSync(fd, data, off, data.length - off, off);
      if (n === 0) break;
      off += n;
    }
    const rec = decodeTask(data);
    if (rec.name === GROUP) cached = { key, rec }; // only groups are read more than once
    return rec;
  } finally {
    closeSync(fd);
  }
}

/**
 * The record of task `id` stored at `path`: the member of a group, or the
 * file's own record. A group read under a name without a member index is
 * returned whole (a group file of an older layout: the caller splits it).
 */
export function readTaskAt(path: string, id: string): TaskRecord {
  return memberOf(readRecord(path, memberIndex(id) === null), id);
}

/** Picks member `id` out of a group record; any other record is returned as is. */
export function memberOf(rec: TaskRecord, id: string): TaskRecord {
  if (rec.name !== GROUP) return rec;
  const i = memberIndex(id);
  if (i === null) return rec;
  const m = (rec.args as { tasks?: TaskRecord[] })?.tasks?.[i];
  if (!m || typeof m !== "object" || typeof m.name !== "string") throw new TaskDecodeError(`group file has no member ${i}`);
  return { ...m, v: 1, attempts: Number.isInteger(m.attempts) ? m.attempts : 0, enqueuedAt: m.enqueuedAt ?? rec.enqueuedAt };
}

/** True if `rec` is a whole group (only an older layout stores one under a single name). */
export function isGroup(rec: TaskRecord): boolean {
  return rec.name === GROUP;
}
