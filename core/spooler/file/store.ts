/**
 * The spool directory as a SpoolStore shared by any number of processes
 * (spoolers, the master, the CLI, other instances), coordinated only by the
 * filesystem.
 *
 *   DIR/<due>_<id>.task            pending, no priority (runs after every priority)
 *   DIR/<priority>/<due>_<id>.task pending with a priority (lower runs first)
 *   DIR[/<priority>]/<due>_<gid>.group/NN.task   a group of tasks accepted together
 *   DIR/running/<name>.<pid>       claimed by pid (claim = rename, atomic; a group is claimed whole)
 *   DIR/failed/<name>              out of retries, with lastError and attempts
 *   DIR/quarantine/<file>.<stamp>  corrupt or foreign files, plus <...>.reason
 *   DIR/keys/<sha1(key)>           dedup markers (key-marker.ts)
 *   DIR/.tmp/                      files being written (same filesystem)
 *
 * Every task has its own name. Tasks accepted together (group commit) are
 * one group directory holding one file, written and fsynced once and
 * hard-linked under one name per task: counted and listed one by one; a
 * claimer takes the group with one rename (held-group.ts) and settles each
 * task on its own (completed: its name unlinked; retried or failed: moved out).
 *
 * Durability (`sync`, see store.ts): `always`/`batch` fsync the file and
 * the directory before an accept resolves; `none` stops after the write.
 * A small task alone is created in place (no temp file, see writeInPlace).
 * State moves after enqueue (claim, retry, fail) are renames (of fsynced
 * files unless `none`) without a directory fsync: a power cut can undo one,
 * which at worst runs a task again, never loses it.
 *
 * Metadata calls (open, write, rename, unlink of small files) are
 * synchronous: microseconds each, several times cheaper than a thread-pool
 * round trip. Only fsync leaves the event loop.
 */
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { SpoolError, oneLine } from "../../errors.ts";
import type { Accepted, ClaimedTask, NewTask, RecoverResult, RetryOptions, SpoolStore, SyncMode, TaskId } from "../store.ts";
import { decodeTask, encodeTask, TaskDecodeError, type TaskRecord } from "../task.ts";
import { dueOf, newRecord } from "../record.ts";
import { parseGroupName, pendingName, runningName } from "./names.ts";
import { fsyncDir, IN_PLACE_MAX, replaceSynced, syncDirs, writeFiles, writeGroupDir, writeInPlace } from "./durable-write.ts";
import { quarantineFile } from "./quarantine.ts";
import { KeyMarkers } from "./key-marker.ts";
import { ClaimIndex } from "./claim-index.ts";
import { isGroup, readTaskAt } from "./read.ts";
import { HeldGroup, isMember, removeIfEmpty } from "./held-group.ts";
import { beingWritten, claimedDue } from "./claimed.ts";
import { noteLines, WakeNotes } from "./wake-notes.ts";
import { GroupCommit } from "./group-commit.ts";
import { planWrite } from "./write-plan.ts";
import { FileInspection, type Paths } from "./inspect.ts";
import { recoverDead, retryFailed } from "./repair.ts";

/** Options of a FileStore. */
export interface FileStoreOptions {
  sync?: SyncMode;
  onQuarantine?: (file: string, reason: string, movedTo: string) => void;
  /** Pid written into running/ names (default process.pid). */
  owner?: number;
  /** A full rescan happens at most this often without a wake that names nothing, ms (default 1000). */
  maxIndexAgeMs?: number;
  /** Create the directories (default true; false for inspection, which changes nothing). */
  create?: boolean;
}

// A wake that names nothing rescans, but not more often than this.
const WAKE_RESCAN_MS = 5;
// One full rescan this long after the last wake: finds a task whose producer died between its accept and its wake.
const AFTER_WAKE_RESCAN_MS = 1000;

export class FileStore extends FileInspection implements SpoolStore {
  readonly address: string;
  readonly sync: SyncMode;
  /** @internal */ readonly owner: number;
  private readonly maxIndexAgeMs: number;
  private readonly onQuarantine?: FileStoreOptions["onQuarantine"];
  /** @internal */ readonly keys: KeyMarkers;
  private readonly knownDirs = new Set<string>();
  /** @internal */ readonly index: ClaimIndex;
  private readonly commit: GroupCommit;
  private dirty = false;
  private recheckAt = 0;
  private woken = false;
  private wakeWaiter: (() => void) | null = null;
  /** The group directory this claimer took (running/<group>.<pid>) and its members not yet handed out. */
  private held: HeldGroup | null = null;
  /** Bytes of small new tasks from wake notes: a claim of that name needs no read. */
  private readonly notes = new WakeNotes();

  constructor(address: string, opts: FileStoreOptions = {}) {
    const dir = resolve(address);
    const p: Paths = { dir, tmp: join(dir, ".tmp"), running: join(dir, "running"), failed: join(dir, "failed"), quarantine: join(dir, "quarantine"), keys: join(dir, "keys") };
    super(p);
    this.address = address;
    this.sync = opts.sync ?? "always";
    this.owner = opts.owner ?? process.pid;
    this.maxIndexAgeMs = opts.maxIndexAgeMs ?? 1000;
    this.onQuarantine = opts.onQuarantine;
    if (opts.create !== false) for (const d of [dir, p.tmp, p.running, p.failed, p.quarantine, p.keys]) mkdirSync(d, { recursive: true, mode: 0o700 });
    this.knownDirs.add(dir);
    this.keys = new KeyMarkers(p.keys, async (id) => {
      const e = this.locate(id);
      return e !== null && (e.state === "pending" || e.state === "running");
    });
    this.index = new ClaimIndex(dir, (path, reason) => this.quarantine(path, reason));
    this.commit = new GroupCommit((tasks) => this.write(tasks));
  }

  async enqueue(task: NewTask): Promise<TaskId> {
    return (await this.enqueueMany([task])).ids[0];
  }

  async enqueueMany(tasks: NewTask[]): Promise<Accepted> {
    if (tasks.length === 0) return { ids: [], wake: "" };
    // --spooler-sync batch: join the fsync after the one in flight. Keyed tasks
    // go alone, so that a refused key refuses only its own call.
    if (this.sync === "batch" && !tasks.some((t) => t?.key !== undefined)) {
      for (const t of tasks) newRecord(t, 0); // refuse bad fields before joining others
      return this.commit.submit(tasks);
    }
    return this.write(tasks);
  }

  /** Writes `tasks` now: one file per task alone, one group directory per priority and due time (write-plan.ts). */
  private async write(tasks: NewTask[]): Promise<Accepted> {
    const { ids, rels, singles, groups, keyed, newDirs } = planWrite(tasks, Date.now(), (p, nd) => this.levelDir(p, nd));
    const extraDirs = newDirs;
    const taken: [string, TaskId][] = [];
    const sync = this.sync !== "none";
    try {
      for (const [key, id] of keyed) {
        await this.keys.acquire(key, id);
        taken.push([key, id]);
      }
      if (taken.length) extraDirs.add(this.keys.dir);
      const small = singles.filter((f) => f.data.length <= IN_PLACE_MAX), large = singles.filter((f) => f.data.length > IN_PLACE_MAX);
      await Promise.all([
        small.length ? writeInPlace(small, sync) : null,
        large.length ? writeFiles(this.paths.tmp, large, sync) : null,
        ...groups.map((g) => writeGroupDir(this.paths.tmp, g.data, g.n, g.path, sync)),
      ]);
      if (sync) await syncDirs([...singles.map((f) => f.path), ...groups.map((g) => g.path)], [...extraDirs]);
    } catch (e) {
      for (const [key, id] of taken) this.keys.release(key, id);
      throw e;
    }
    // A handle that claims sees its own tasks at once (one that only produces keeps no index).
    if (this.index.scanned()) for (const rel of rels) this.index.insert(rel);
    return { ids, wake: noteLines(rels, singles) };
  }

  async claim(now: number = Date.now()): Promise<ClaimedTask | null> {
    this.woken = false; // this claim sees every name notified so far
    // The members of a group this claimer took run back to back.
    const next = this.nextHeld();
    if (next) return next;
    const recheck = this.recheckAt !== 0 && Date.now() >= this.recheckAt;
    if (this.index.age() > this.maxIndexAgeMs || recheck ? this.index.mayScan(0) : this.dirty && this.index.mayScan(WAKE_RESCAN_MS)) {
      this.dirty = false;
      if (recheck) this.recheckAt = 0;
      this.index.scan();
    }
    for (const { dir, name } of this.index.candidates(now)) {
      const ref = `${this.paths.running}/${runningName(name, this.owner)}`;
      try {
        renameSync(`${dir}/${name}`, ref);
      } catch (e) {
        if (isENOENT(e)) { this.notes.drop(name); continue; } // another claimer took it first
        throw e;
      }
      if (name.endsWith(".group")) {
        // A whole group with one rename; its members are handed out one per claim.
        this.held = HeldGroup.take(ref, `${dir}/${name}`, parseGroupName(name)!.gid);
        const c = this.nextHeld();
        if (c) return c;
        continue;
      }
      const id = name.slice(14, -5); // "<due 13>_<id>.task", checked when it entered the index
      let task: TaskRecord;
      const noted = this.notes.take(name);
      try {
        task = noted ? decodeTask(noted) : readTaskAt(ref, id);
      } catch (e) {
        if (!(e instanceof TaskDecodeError)) throw e;
        if (beingWritten(ref)) {
          // Created in place, its one write not done yet: put it back and look again soon.
          renameSync(ref, `${dir}/${name}`);
          this.recheckAt = Date.now() + 5;
          continue;
        }
        this.quarantine(ref, e.message, join(dir, name));
        continue;
      }
      if (isGroup(task)) { await this.splitOldGroup(ref, task); return this.claim(Math.max(now, Date.now())); } // its tasks are due now
      return { id, task, token: ref, ref };
    }
    return null;
  }

  /** The next member of the held group, or null (then the group is done with). */
  private nextHeld(): ClaimedTask | null {
    const c = this.held?.next((path, reason) => this.quarantine(path, reason)) ?? null;
    if (!c) this.held = null;
    return c;
  }

  /** A member left its claimed group directory: the directory goes once it is empty and fully handed out. */
  private settled(claimed: ClaimedTask) {
    if (!isMember(claimed.token)) return;
    const dir = dirname(claimed.token);
    if (this.held?.dir === dir) {
      if (!this.held.done) return; // more to hand out
      this.held = null;
    }
    removeIfEmpty(dir);
  }

  /** A whole group under one name (an older layout): its tasks are queued again one by one. */
  private async splitOldGroup(ref: string, group: TaskRecord) {
    const tasks = ((group.args as { tasks?: NewTask[] })?.tasks ?? []).map((t) => ({ ...t, key: undefined, attempts: (t.attempts ?? 0) + (group.attempts > 0 ? 1 : 0) }));
    const { wake } = await this.write(tasks);
    unlinkSync(ref);
    this.notify(wake);
  }

  async renew(claimed: ClaimedTask): Promise<void> {
    try { statSync(claimed.token); } catch (e) { if (isENOENT(e)) throw notClaimed(claimed); throw e; }
  }

  async complete(claimed: ClaimedTask): Promise<void> {
    try {
      unlinkSync(claimed.token);
    } catch (e) {
      if (isENOENT(e)) throw notClaimed(claimed);
      throw e;
    }
    if (claimed.task.key !== undefined) this.keys.release(claimed.task.key, claimed.id);
    this.settled(claimed);
  }

  async retry(claimed: ClaimedTask, opts: RetryOptions): Promise<void> {
    // Due strictly later than the name it had: a name, once claimed, never comes back
    // (a claimer trusts the content a wake note gave for a name, see notify()).
    const was = claimedDue(claimed.token);
    const rec: TaskRecord = {
      ...claimed.task,
      attempts: claimed.task.attempts + (opts.countAttempt === false ? 0 : 1),
      at: Math.max(Date.now() + Math.max(0, opts.delayMs), was + 1),
      lastError: opts.error === undefined ? claimed.task.lastError : oneLine(opts.error),
    };
    const dir = await this.levelDirSynced(rec.priority);
    const name = pendingName(dueOf(rec), claimed.id);
    await this.rewriteAndMove(claimed, rec, join(dir, name));
    this.index.insert(rec.priority === undefined ? name : `${rec.priority}/${name}`);
    this.settled(claimed);
  }

  async fail(claimed: ClaimedTask, error: string): Promise<void> {
    const rec: TaskRecord = { ...claimed.task, attempts: claimed.task.attempts + 1, lastError: oneLine(error), failedAt: Date.now() };
    await this.rewriteAndMove(claimed, rec, join(this.paths.failed, pendingName(claimedDue(claimed.token), claimed.id)));
    if (rec.key !== undefined) this.keys.release(rec.key, claimed.id);
    this.settled(claimed);
  }

  recover(isAlive: (pid: number) => boolean): Promise<RecoverResult> {
    return recoverDead(this, isAlive);
  }

  retryFailed(id: TaskId | "all"): Promise<number> {
    return retryFailed(this, id);
  }

  async purgeFailed(): Promise<number> {
    let n = 0;
    for (const name of readdirSync(this.paths.failed)) {
      try { unlinkSync(join(this.paths.failed, name)); n++; } catch (e) { if (!isENOENT(e)) throw e; }
    }
    return n;
  }

  /** Exact: from a fresh scan (the master asks this when a spooler parks). */
  async nextDueAt(): Promise<number | null> {
    this.index.scan();
    return this.index.nextDue();
  }

  /** A wake note (wake-notes.ts) names new tasks and may carry their bytes. */
  notify(wake: string): void {
    if (wake) this.notes.read(wake, (rel) => this.index.insert(rel));
    else this.dirty = true;
    this.recheckAt = Date.now() + AFTER_WAKE_RESCAN_MS;
    this.interrupt();
  }

  waitForWork(maxMs: number): Promise<void> {
    if (this.woken) { this.woken = false; return Promise.resolve(); }
    const due = this.index.nextDue();
    const wait = Math.max(0, Math.min(maxMs, due === null ? Infinity : due - Date.now(), this.recheckAt ? this.recheckAt - Date.now() : Infinity));
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, Math.min(wait, 2 ** 31 - 1));
      const self = this;
      function done() { clearTimeout(t); if (self.wakeWaiter === done) self.wakeWaiter = null; self.woken = false; resolve(); }
      this.wakeWaiter = done;
    });
  }

  interrupt(): void {
    this.woken = true;
    this.wakeWaiter?.();
  }

  /**
   * Ends the wait, and gives back the rest of a group taken but not handed
   * out (a graceful stop or recycle must not count an attempt for tasks that
   * never started). Call it once the task in hand is settled.
   */
  async close(): Promise<void> {
    this.wakeWaiter?.();
    this.held?.release();
    this.held = null;
  }

  // ---- internals ----

  /** Replaces a held file's content (fsynced unless sync none), then moves it to `dest`. */
  /** @internal */ async rewriteAndMove(claimed: ClaimedTask, rec: TaskRecord, dest: string): Promise<void> {
    // Check we still hold it: rewriting a vanished file would resurrect a copy.
    await this.renew(claimed);
    await replaceSynced(this.paths.tmp, claimed.token, encodeTask(rec), this.sync !== "none");
    renameSync(claimed.token, dest);
  }

  /**
   * Directory of a priority level, created on first use; a new one adds the
   * spool dir to `newParents` (to fsync), or is fsynced into it at once.
   */
  private levelDir(priority: number | undefined, newParents: Set<string>): string {
    if (priority === undefined) return this.paths.dir;
    const dir = `${this.paths.dir}/${priority}`;
    if (!this.knownDirs.has(dir)) {
      let made: string | undefined;
      try { made = mkdirSync(dir, { recursive: true, mode: 0o700 }); } catch (e) { if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; }
      if (made !== undefined && this.sync !== "none") newParents.add(this.paths.dir);
      this.knownDirs.add(dir);
    }
    return dir;
  }

  /** @internal */ async levelDirSynced(priority: number | undefined): Promise<string> {
    const parents = new Set<string>();
    const dir = this.levelDir(priority, parents);
    if (parents.size) await fsyncDir(this.paths.dir);
    return dir;
  }

  /** Moves `path` to quarantine/; `from` (default `path`) names it in the report and the new name. */
  /** @internal */ quarantine(path: string, reason: string, from = path): void {
    const dest = quarantineFile(this.paths.quarantine, path, reason, basename(from));
    if (dest && this.onQuarantine) this.onQuarantine(from, reason, dest);
  }
}

function notClaimed(c: ClaimedTask): SpoolError {
  return new SpoolError(`task ${c.id} is no longer held by this process: ${c.ref} is gone (recovered by another process?)`);
}

function isENOENT(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === "ENOENT";
}
