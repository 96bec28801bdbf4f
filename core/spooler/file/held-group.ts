/**
 * A group directory a claimer took whole (renamed to running/<group>.<pid>):
 * its tasks are handed out one per claim, in member order, and the
 * directory goes once every member has left it (completed: unlinked;
 * retried or failed: moved out). Every name in a held group is a link to the
 * one group file (a member is rewritten only by its holder, and then
 * leaves), so the file is decoded once.
 *
 * @example
 * const g = HeldGroup.take(ref, from, gid);
 * for (let c = g.next(quarantine); c; c = g.next(quarantine)) { … settle c … g.settled(c.token); }
 */
import { readdirSync, renameSync, rmdirSync } from "node:fs";
import type { ClaimedTask, TaskRecord } from "../store.ts";
import { TaskDecodeError } from "../task.ts";
import { parseMemberFile } from "./names.ts";
import { memberOf, readRecord } from "./read.ts";

export class HeldGroup {
  private pos = 0;
  private group: TaskRecord | null = null;

  private constructor(readonly dir: string, private from: string, private gid: string, private members: string[]) {}

  /** The group now at `dir` (just renamed there from `from`). */
  static take(dir: string, from: string, gid: string): HeldGroup {
    let members: string[] = [];
    try { members = readdirSync(dir).filter((f) => parseMemberFile(f) !== null).sort(); } catch { /* emptied */ }
    return new HeldGroup(dir, from, gid, members);
  }

  /** Has every member been handed out? */
  get done(): boolean {
    return this.pos >= this.members.length;
  }

  /** The next member, or null when all were handed out (an undecodable one goes to `quarantine`). */
  next(quarantine: (path: string, reason: string) => void): ClaimedTask | null {
    while (this.pos < this.members.length) {
      const f = this.members[this.pos++];
      const token = `${this.dir}/${f}`;
      const id = `${this.gid}.${f.slice(0, 2)}`;
      try {
        this.group ??= readRecord(token);
        return { id, task: memberOf(this.group, id), token, ref: token };
      } catch (e) {
        if ((e as NodeJS.ErrnoException)?.code === "ENOENT") continue;
        if (!(e instanceof TaskDecodeError)) throw e;
        quarantine(token, e.message);
      }
    }
    removeIfEmpty(this.dir);
    return null;
  }

  /** Gives the members not handed out back to the queue (under the group's pending name). */
  release(): void {
    try { renameSync(this.dir, this.from); } catch { /* emptied meanwhile */ }
    removeIfEmpty(this.from);
  }
}

/** Is `token` a member of a claimed group directory? */
export function isMember(token: string): boolean {
  return parseMemberFile(token.slice(token.lastIndexOf("/") + 1)) !== null;
}

/** Removes a group directory once its last member left it. */
export function removeIfEmpty(dir: string): void {
  try { rmdirSync(dir); } catch { /* not empty (a member still held), or gone */ }
}

