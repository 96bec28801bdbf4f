/**
 * The spool directory as a SpoolStore shared by any number of processes
 * (spoolers, the master, the CLI, other instances), coordinated only by the
 * filesystem.
 *
 *   DIR/<due>_<id>.task            pending, no priority (runs after every priority)
 *   DIR/<priority>/<due>_<id>.task pending with a priority (lower runs first)
 *   DIR/running/<name>.<pid>       claimed by pid (claim = rename, atomic)
 *   DIR/failed/<name>              out of retries, with lastError and attempts
 *   DIR/quarantine/<file>.<stamp>  corrupt or foreign files, plus <...>.reason
 *   DIR/keys/<sha1(key)>           dedup markers (key-marker.ts)
 *   DIR/.tmp/                      files being written (same filesystem)
 *
 * Every task has its own name. Tasks accepted together (group commit) are
 * one file, written and fsynced once, hard-linked under one name per task:
 * each is then claimed, retried, failed, counted and listed on its own.
 *
 * Durability (`sync`, see store.ts): `always`/`batch` fsync the file and
 * the directory before an accept resolves; `none` stops after the rename.
 * State moves after enqueue (claim, retry, fail) are renames (of fsynced
 * files unless `none`) without a directory fsync: a power cut can undo one,
 * which at worst runs a task again, never loses it.
 *
 * Metadata calls (open, write, rename, unlink of small files) are
 * synchronous: microseconds each, several times cheaper than a thread-pool
 * round trip. Only fsync leaves the event loop.
 */
import { Buffer } from "node:buffer";
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { SpoolError, oneLine } from "../../errors.ts";
import type { Accepted, ClaimedTask, NewTask, RecoverResult, RetryOptions, SpoolStore, SyncMode, TaskId } from "../store.ts";
import { decodeTask, encodeTask, TaskDecodeError, type TaskRecord } from "../task.ts";
import { dueOf, newRecord } from "../record.ts";
import { parseRunningName, pendingName, runningName } from "./names.ts";
import { fsyncDir, IN_PLACE_MAX, replaceSynced, syncDirs, writeFiles, writeInPlace, writeLinked } from "./durable-write.ts";
import { quarantineFile } from "./quarantine.ts";
import { KeyMarkers } from "./key-marker.ts";
import { ClaimIndex } from "./claim-index.ts";
import { isGroup, readTaskAt } from "./read.ts";
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
  /** Content of small new tasks, from wake notes, by name: a claim of that name needs no read. */
  private readonly notes = new Map<string, Uint8Array>();

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

  /** Writes `tasks` now: one file per keyed task, one linked group file per priority and due time. */
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
        ...groups.map((g) => writeLinked(this.paths.tmp, g.data, g.paths, sync)),
      ]);
      if (sync) await syncDirs([...singles.map((f) => f.path), ...groups.flatMap((g) => g.paths)], [...extraDirs]);
    } catch (e) {
      for (const [key, id] of taken) this.keys.release(key, id);
      throw e;
    }
    // A handle that claims sees its own tasks at once (one that only produces keeps no index).
    if (this.index.scanned()) for (const rel of rels) this.index.insert(rel);
    const lines = rels.slice();
    for (const f of singles) if (f.data.length <= NOTE_MAX && f.note !== undefined) lines[f.note] += `\t${toBase64(f.data)}`;
    return { ids, wake: lines.join("\n") };
  }

  async claim(now: number = Date.now()): Promise<ClaimedTask | null> {
    this.woken = false; // this claim sees every name notified so far
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
        if (isENOENT(e)) { this.notes.delete(name); continue; } // another claimer took it first
        throw e;
      }
      const id = name.slice(14, -5); // "<due 13>_<id>.task", checked when it entered the index
      let task: TaskRecord;
      const noted = this.notes.get(name);
      try {
        if (noted) { this.notes.delete(name); task = decodeTask(noted); } else task = readTaskAt(ref, id);
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
  }

  async retry(claimed: ClaimedTask, opts: RetryOptions): Promise<void> {
    // Due strictly later than the name it had: a name, once claimed, never comes back
    // (a claimer trusts the content a wake note gave for a name, see notify()).
    const was = parseRunningName(basename(claimed.token))?.due ?? 0;
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
  }

  async fail(claimed: ClaimedTask, error: string): Promise<void> {
    const rec: TaskRecord = { ...claimed.task, attempts: claimed.task.attempts + 1, lastError: oneLine(error), failedAt: Date.now() };
    const p = parseRunningName(basename(claimed.token));
    if (!p) throw new SpoolError(`not a claimed task file: got ${claimed.token}`);
    await this.rewriteAndMove(claimed, rec, join(this.paths.failed, p.pending));
    if (rec.key !== undefined) this.keys.release(rec.key, claimed.id);
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

  /**
   * A wake note is one line per new task: its name relative to the spool dir,
   * and for a small task stored alone a tab and its bytes in base64. A name is
   * written once and never reused (a retried task gets a later due time), so
   * the claimer of that name can take the bytes from the note instead of
   * reading the file.
   */
  notify(wake: string): void {
    if (wake) {
      for (const line of wake.split("\n")) {
        const tab = line.indexOf("\t");
        const rel = tab < 0 ? line : line.slice(0, tab);
        this.index.insert(rel);
        if (tab >= 0 && this.notes.size < MAX_NOTES) this.notes.set(rel.slice(rel.lastIndexOf("/") + 1), fromBase64(line.slice(tab + 1)));
      }
    } else this.dirty = true;
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

  async close(): Promise<void> {
    this.wakeWaiter?.();
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

// Wake notes carry the bytes of tasks up to this size; a claimer keeps at most MAX_NOTES of them.
const NOTE_MAX = 512;
const MAX_NOTES = 10_000;

function toBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");
}

function fromBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "base64"));
}

// An empty task file younger than this may still get its one write (writeInPlace);
// older, its producer died before the write (never accepted): it is quarantined.
const BEING_WRITTEN_MS = 2000;

function beingWritten(path: string): boolean {
  try {
    const st = statSync(path);
    return st.size === 0 && Date.now() - st.mtimeMs < BEING_WRITTEN_MS;
  } catch { return false; }
}

function notClaimed(c: ClaimedTask): SpoolError {
  return new SpoolError(`task ${c.id} is no longer held by this process: ${c.ref} is gone (recovered by another process?)`);
}

function isENOENT(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === "ENOENT";
}
