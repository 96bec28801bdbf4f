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
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { SpoolError, oneLine } from "../../errors.ts";
import type { Accepted, ClaimedTask, NewTask, RecoverResult, RetryOptions, SpoolStore, SyncMode, TaskId } from "../store.ts";
import { encodeTask, TaskDecodeError, type TaskRecord } from "../task.ts";
import { dueOf, encodeOrRefuse, newRecord } from "../record.ts";
import { memberId, newTaskId, parsePendingName, parseRunningName, pendingName, runningName } from "./names.ts";
import { fsyncDir, replaceSynced, syncDirs, tmpOwner, writeFiles, writeLinked } from "./durable-write.ts";
import { quarantineFile } from "./quarantine.ts";
import { KeyMarkers } from "./key-marker.ts";
import { backoffMs, mayRetry } from "../policy.ts";
import { ClaimIndex } from "./claim-index.ts";
import { GROUP, isGroup, memberOf, readRecord } from "./read.ts";
import { GroupCommit } from "./group-commit.ts";
import { FileInspection, type Paths } from "./inspect.ts";

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

/** Tasks of one group file at most (member ids have two digits). */
export const GROUP_MAX = 64;
// A temp file this old whose writer is dead was abandoned mid-enqueue (never accepted).
const ABANDONED_TMP_MS = 10 * 60_000;
// A wake that names nothing rescans, but not more often than this.
const WAKE_RESCAN_MS = 5;
// One full rescan this long after the last wake: finds a task whose producer died between its accept and its wake.
const AFTER_WAKE_RESCAN_MS = 1000;

export class FileStore extends FileInspection implements SpoolStore {
  readonly address: string;
  readonly sync: SyncMode;
  private readonly owner: number;
  private readonly maxIndexAgeMs: number;
  private readonly onQuarantine?: FileStoreOptions["onQuarantine"];
  private readonly keys: KeyMarkers;
  private readonly knownDirs = new Set<string>();
  private readonly index: ClaimIndex;
  private readonly commit: GroupCommit;
  private dirty = false;
  private recheckAt = 0;
  private woken = false;
  private wakeWaiter: (() => void) | null = null;

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
    const now = Date.now();
    const recs = tasks.map((t) => newRecord(t, now));
    const ids: TaskId[] = new Array(tasks.length);
    const rels: string[] = new Array(tasks.length);
    const singles: { path: string; data: Uint8Array }[] = [];
    const groups: { data: Uint8Array; paths: string[] }[] = [];
    const extraDirs = new Set<string>();
    const keyed: [string, TaskId][] = [];
    const open = new Map<string, { idx: number[] }>();
    const place = async (i: number, id: TaskId) => {
      const rec = recs[i];
      const dir = await this.levelDir(rec.priority, extraDirs);
      const name = pendingName(dueOf(rec), id);
      ids[i] = id;
      rels[i] = rec.priority === undefined ? name : `${rec.priority}/${name}`;
      return join(dir, name);
    };
    const flushGroup = async (idx: number[]) => {
      if (idx.length === 1) {
        singles.push({ path: await place(idx[0], newTaskId(now)), data: encodeOrRefuse(recs[idx[0]]) });
        return;
      }
      const gid = newTaskId(now);
      const paths: string[] = [];
      for (let k = 0; k < idx.length; k++) paths.push(await place(idx[k], memberId(gid, k)));
      const data = encodeOrRefuse({ v: 1, name: GROUP, args: { tasks: idx.map((i) => recs[i]) }, attempts: 0, enqueuedAt: now });
      groups.push({ data, paths });
    };
    for (let i = 0; i < recs.length; i++) {
      const r = recs[i];
      if (r.key !== undefined) {
        singles.push({ path: await place(i, newTaskId(now)), data: encodeOrRefuse(r) });
        keyed.push([r.key, ids[i]]);
        continue;
      }
      const k = `${r.priority ?? ""}|${dueOf(r)}`;
      let g = open.get(k);
      if (!g) open.set(k, (g = { idx: [] }));
      g.idx.push(i);
      if (g.idx.length === GROUP_MAX) { await flushGroup(g.idx); open.delete(k); }
    }
    for (const g of open.values()) await flushGroup(g.idx);
    const taken: [string, TaskId][] = [];
    const sync = this.sync !== "none";
    try {
      for (const [key, id] of keyed) {
        await this.keys.acquire(key, id);
        taken.push([key, id]);
      }
      if (taken.length) extraDirs.add(this.keys.dir);
      await Promise.all([
        singles.length ? writeFiles(this.paths.tmp, singles, sync) : null,
        ...groups.map((g) => writeLinked(this.paths.tmp, g.data, g.paths, sync)),
      ]);
      if (sync) await syncDirs([...singles.map((f) => f.path), ...groups.flatMap((g) => g.paths)], [...extraDirs]);
    } catch (e) {
      for (const [key, id] of taken) this.keys.release(key, id);
      throw e;
    }
    // A handle that claims sees its own tasks at once (one that only produces keeps no index).
    if (this.index.scanned()) for (const rel of rels) this.index.insert(rel);
    return { ids, wake: rels.join("\n") };
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
      const ref = join(this.paths.running, runningName(name, this.owner));
      try {
        renameSync(join(dir, name), ref);
      } catch (e) {
        if (isENOENT(e)) continue; // another claimer took it first
        throw e;
      }
      const id = parsePendingName(name)!.id;
      let task: TaskRecord;
      try {
        task = memberOf(readRecord(ref), id);
      } catch (e) {
        if (!(e instanceof TaskDecodeError)) throw e;
        this.quarantine(ref, e.message, join(dir, name));
        continue;
      }
      if (isGroup(task)) { await this.splitOldGroup(ref, task); continue; }
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
    const rec: TaskRecord = {
      ...claimed.task,
      attempts: claimed.task.attempts + (opts.countAttempt === false ? 0 : 1),
      at: Date.now() + Math.max(0, opts.delayMs),
      lastError: opts.error === undefined ? claimed.task.lastError : oneLine(opts.error),
    };
    const dir = await this.levelDir(rec.priority);
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

  async recover(isAlive: (pid: number) => boolean): Promise<RecoverResult> {
    const result: RecoverResult = { requeued: [], failed: [] };
    for (const name of readdirSync(this.paths.running)) {
      const path = join(this.paths.running, name);
      const p = parseRunningName(name);
      if (!p) { this.quarantine(path, "unexpected file name in running/"); continue; }
      if (p.pid === this.owner || p.pid === process.pid || isAlive(p.pid)) continue;
      // Take the claim over first: of two recoverers only one wins this rename.
      const mine = join(this.paths.running, runningName(p.pending, this.owner));
      try { renameSync(path, mine); } catch (e) { if (isENOENT(e)) continue; throw e; }
      let task: TaskRecord;
      try {
        task = memberOf(readRecord(mine), p.id);
      } catch (e) {
        if (!(e instanceof TaskDecodeError)) throw e;
        this.quarantine(mine, e.message, path);
        continue;
      }
      const claimed: ClaimedTask = { id: p.id, task, token: mine, ref: mine };
      const n = task.attempts + 1;
      const error = `process died while running the task (attempt ${n})`;
      if (mayRetry(task, n)) {
        await this.retry(claimed, { delayMs: backoffMs(task, n), error });
        result.requeued.push(p.id);
      } else {
        await this.fail(claimed, error);
        result.failed.push(p.id);
      }
    }
    this.removeAbandonedTmp(isAlive);
    return result;
  }

  /** Exact: from a fresh scan (the master asks this when a spooler parks). */
  async nextDueAt(): Promise<number | null> {
    this.index.scan();
    return this.index.nextDue();
  }

  notify(wake: string): void {
    if (wake) for (const rel of wake.split("\n")) this.index.insert(rel);
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

  async close(): Promise<void> {
    this.wakeWaiter?.();
  }

  async retryFailed(id: TaskId | "all"): Promise<number> {
    let moved = 0;
    const dirs = new Set<string>();
    for (const name of readdirSync(this.paths.failed)) {
      const p = parsePendingName(name);
      if (!p || (id !== "all" && p.id !== id)) continue;
      // Claim it like a pending task so two concurrent retries cannot both move it.
      const mine = join(this.paths.running, runningName(name, this.owner));
      try { renameSync(join(this.paths.failed, name), mine); } catch (e) { if (isENOENT(e)) continue; throw e; }
      let task: TaskRecord;
      try { task = memberOf(readRecord(mine), p.id); } catch (e) {
        if (!(e instanceof TaskDecodeError)) throw e;
        this.quarantine(mine, e.message, join(this.paths.failed, name));
        continue;
      }
      if (task.key !== undefined) {
        try {
          await this.keys.acquire(task.key, p.id);
        } catch (e) {
          renameSync(mine, join(this.paths.failed, name));
          if (id === "all") continue;
          throw e;
        }
      }
      const rec: TaskRecord = { ...task, attempts: 0, at: Date.now(), failedAt: undefined };
      const dir = await this.levelDir(rec.priority);
      const pname = pendingName(dueOf(rec), p.id);
      await this.rewriteAndMove({ id: p.id, task, token: mine, ref: mine }, rec, join(dir, pname));
      if (this.index.scanned()) this.index.insert(rec.priority === undefined ? pname : `${rec.priority}/${pname}`);
      dirs.add(dir);
      moved++;
    }
    if (this.sync !== "none") await Promise.all([...dirs].map(fsyncDir));
    return moved;
  }

  async purgeFailed(): Promise<number> {
    let n = 0;
    for (const name of readdirSync(this.paths.failed)) {
      try { unlinkSync(join(this.paths.failed, name)); n++; } catch (e) { if (!isENOENT(e)) throw e; }
    }
    return n;
  }

  // ---- internals ----

  /** Replaces a held file's content (fsynced unless sync none), then moves it to `dest`. */
  private async rewriteAndMove(claimed: ClaimedTask, rec: TaskRecord, dest: string): Promise<void> {
    // Check we still hold it: rewriting a vanished file would resurrect a copy.
    await this.renew(claimed);
    await replaceSynced(this.paths.tmp, claimed.token, encodeTask(rec), this.sync !== "none");
    renameSync(claimed.token, dest);
  }

  /** Directory of a priority level, created on first use (its parent is then fsynced too). */
  private async levelDir(priority: number | undefined, newParents?: Set<string>): Promise<string> {
    if (priority === undefined) return this.paths.dir;
    const dir = join(this.paths.dir, String(priority));
    if (!this.knownDirs.has(dir)) {
      let made: string | undefined;
      try { made = mkdirSync(dir, { recursive: true, mode: 0o700 }); } catch (e) { if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; }
      if (made !== undefined && this.sync !== "none") {
        if (newParents) newParents.add(this.paths.dir);
        else await fsyncDir(this.paths.dir);
      }
      this.knownDirs.add(dir);
    }
    return dir;
  }

  /** Moves `path` to quarantine/; `from` (default `path`) names it in the report and the new name. */
  private quarantine(path: string, reason: string, from = path): void {
    const dest = quarantineFile(this.paths.quarantine, path, reason, basename(from));
    if (dest && this.onQuarantine) this.onQuarantine(from, reason, dest);
  }

  private removeAbandonedTmp(alive: (pid: number) => boolean): void {
    const now = Date.now();
    for (const name of readdirSync(this.paths.tmp)) {
      const owner = tmpOwner(name);
      if (owner === null || owner === process.pid || alive(owner)) continue;
      const path = join(this.paths.tmp, name);
      try {
        if (now - statSync(path).mtimeMs > ABANDONED_TMP_MS) unlinkSync(path);
      } catch { /* raced with its writer or another cleaner */ }
    }
  }
}

function notClaimed(c: ClaimedTask): SpoolError {
  return new SpoolError(`task ${c.id} is no longer held by this process: ${c.ref} is gone (recovered by another process?)`);
}

function isENOENT(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === "ENOENT";
}
