/**
 * The spool directory as a durable queue shared by any number of processes
 * (spoolers, the master, the CLI), coordinated only by the filesystem.
 *
 *   DIR/<due>_<id>.task            pending, no priority (runs after every priority)
 *   DIR/<priority>/<due>_<id>.task pending with a priority (lower runs first)
 *   DIR/running/<name>.<pid>       claimed by pid (claim = rename, atomic)
 *   DIR/failed/<name>              out of retries, with lastError and attempts
 *   DIR/quarantine/<file>.<stamp>  corrupt or foreign files, plus <...>.reason
 *   DIR/keys/<sha1(key)>           dedup markers (key-marker.ts)
 *   DIR/.tmp/                      files being written (same filesystem)
 *
 * Guarantees: `enqueue` resolves after file fsync + rename + directory fsync;
 * a task is in exactly one place at a time, so only the process whose
 * rename into running/ succeeded runs it (ENOENT = another one won); a
 * claimer that dies leaves its file in running/, and `recover()` re-queues it
 * with the attempt counted (at-least-once), or fails it past its limit.
 * State moves after enqueue (claim, retry, fail) are renames of fsynced
 * files without a directory fsync: a power cut can undo one, which at worst
 * runs a task again, never loses it.
 *
 * claim/complete use synchronous metadata calls (rename, read, unlink of a
 * small file): microseconds each, and several times faster than a thread
 * pool round trip. Only enqueue, which waits for fsync, is fully async.
 *
 * @example
 * const store = new FileSpoolStore("/var/spool/app", { onQuarantine: (f, why) => log(`quarantined ${f}: ${why}`) });
 * const id = await store.enqueue({ name: "thumb", args: { path: "/a.png" }, priority: 1 });
 * const c = await store.claim();
 * if (c) await store.complete(c);
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, statSync } from "node:fs";
import { fsp } from "../base/lazy-builtins.ts";
import { basename, join, resolve } from "node:path";
import { SpoolError, oneLine, shown } from "../errors.ts";
import type {
  ClaimedTask, NewTask, RecoverResult, RetryOptions, SpoolBackend, SpoolListing, TaskEntry, TaskId, TaskState,
} from "./backend.ts";
import { type TaskRecord, decodeTask, encodeTask, TaskDecodeError } from "./task.ts";
import { dueOf, isTaskId, newTaskId, parsePendingName, parseRunningName, pendingName, runningName } from "./names.ts";
import { type DurableFile, fsyncDir, replaceSynced, tmpOwner, writeDurable } from "./durable-write.ts";
import { type Level, scanPending } from "./scan.ts";
import { quarantineFile, REASON_SUFFIX } from "./quarantine.ts";
import { KeyMarkers } from "./key-marker.ts";
import { backoffMs, mayRetry } from "./policy.ts";

/** Options of a FileSpoolStore. */
export interface FileStoreOptions {
  /** Told once per corrupt or foreign file moved to quarantine/ (log one line). */
  onQuarantine?: (file: string, reason: string, movedTo: string) => void;
  /**
   * Inspect only (`mulefarm spool ls`/`show`): given, a corrupt or foreign
   * file is reported here and left where it is (a spooler moves it).
   */
  onForeign?: (file: string, reason: string) => void;
  /** Pid written into running/ names (default process.pid; tests fake a dead claimer with it). */
  pid?: number;
  /** claim() rescans the directory when its index is older than this, ms (default 1000). */
  maxIndexAgeMs?: number;
}

// A temp file this old whose writer is dead was abandoned mid-enqueue (never accepted).
const ABANDONED_TMP_MS = 10 * 60_000;

/** The file implementation of SpoolBackend. */
export class FileSpoolStore implements SpoolBackend {
  readonly dir: string;
  private readonly tmpDir: string;
  private readonly runningDir: string;
  private readonly failedDir: string;
  private readonly quarantineDir: string;
  private readonly pid: number;
  private readonly maxIndexAgeMs: number;
  private readonly onQuarantine?: FileStoreOptions["onQuarantine"];
  private readonly onForeign?: FileStoreOptions["onForeign"];
  private readonly keys: KeyMarkers;
  private readonly knownDirs = new Set<string>();
  private levels: Level[] | null = null;
  private scannedAt = 0;

  /** Opens (and creates, mode 0700) the spool directory `dir`. */
  constructor(dir: string, opts: FileStoreOptions = {}) {
    this.dir = resolve(dir);
    this.tmpDir = join(this.dir, ".tmp");
    this.runningDir = join(this.dir, "running");
    this.failedDir = join(this.dir, "failed");
    this.quarantineDir = join(this.dir, "quarantine");
    const keysDir = join(this.dir, "keys");
    this.pid = opts.pid ?? process.pid;
    this.maxIndexAgeMs = opts.maxIndexAgeMs ?? 1000;
    this.onQuarantine = opts.onQuarantine;
    this.onForeign = opts.onForeign;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    for (const d of [this.tmpDir, this.runningDir, this.failedDir, this.quarantineDir, keysDir]) {
      mkdirSync(d, { recursive: true, mode: 0o700 });
    }
    this.knownDirs.add(this.dir);
    this.keys = new KeyMarkers(keysDir, async (id) => {
      const where = this.locate(id);
      return where !== null && (where.state === "pending" || where.state === "running");
    });
  }

  /** Accepts one task; resolves with its id once it is on disk for good. */
  async enqueue(task: NewTask): Promise<TaskId> {
    return (await this.enqueueMany([task]))[0];
  }

  /**
   * Accepts many tasks with one fsync barrier: every file is written and
   * fsynced concurrently, renamed into place, then each target directory is
   * fsynced once. All tasks are validated (and keys taken) before anything is
   * written. If the write itself fails, a prefix of the batch may have been
   * accepted; the rejection does not say which.
   */
  async enqueueMany(tasks: NewTask[]): Promise<TaskId[]> {
    if (tasks.length === 0) return [];
    const now = Date.now();
    const files: DurableFile[] = [];
    const ids: TaskId[] = [];
    const extraDirs = new Set<string>();
    const keyed: [string, TaskId][] = [];
    for (const t of tasks) {
      const rec = toRecord(t, now);
      const id = newTaskId(now);
      const dir = await this.levelDir(rec.priority, extraDirs);
      files.push({ path: join(dir, pendingName(dueOf(rec), id)), data: encodeOrRefuse(rec) });
      if (rec.key !== undefined) keyed.push([rec.key, id]);
      ids.push(id);
    }
    const taken: [string, TaskId][] = [];
    try {
      for (const [key, id] of keyed) {
        await this.keys.acquire(key, id);
        taken.push([key, id]);
      }
      if (taken.length) extraDirs.add(this.keys.dir);
      await writeDurable(this.tmpDir, files, [...extraDirs]);
    } catch (e) {
      for (const [key, id] of taken) this.keys.release(key, id);
      throw e;
    }
    return ids;
  }

  /**
   * Takes the next due task: priority levels in numeric order, then the top
   * level; within one, due time then enqueue order. Uses the in-memory index
   * (rescanned when older than maxIndexAgeMs, or when it has nothing due), so
   * a claim costs one rename and one small read.
   */
  async claim(now: number = Date.now()): Promise<ClaimedTask | null> {
    let fresh = false;
    if (this.levels === null || Date.now() - this.scannedAt > this.maxIndexAgeMs) {
      this.rescan();
      fresh = true;
    }
    const c = this.claimFromIndex(now);
    if (c || fresh) return c;
    this.rescan();
    return this.claimFromIndex(now);
  }

  /** Re-reads the directory into the claim index (call on a "new task" wake-up). */
  rescan(): void {
    const t0 = performance.now();
    this.levels = scanPending(this.dir, (path, reason) => this.quarantine(path, reason));
    this.scannedAt = Date.now();
    this.lastScanMs = performance.now() - t0;
  }

  /** How long the last rescan took (ms): about 1 ms per thousand pending files. */
  private lastScanMs = 0;

  /**
   * New files were written (a wake-up): rescans, unless the index is younger
   * than `minAgeMs` or than 20× the last scan's cost, so that scanning, which
   * is O(backlog), takes at most ~5% of the time. Returns whether it rescanned.
   */
  rescanAfterWake(minAgeMs: number): boolean {
    const age = this.levels === null ? Infinity : Date.now() - this.scannedAt;
    if (age < Math.max(minAgeMs, 20 * this.lastScanMs)) return false;
    this.rescan();
    return true;
  }

  /** The task succeeded: its file is removed, then its dedup key released. */
  async complete(claimed: ClaimedTask): Promise<void> {
    try {
      unlinkSync(claimed.ref);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") throw notClaimed(claimed);
      throw e;
    }
    if (claimed.task.key !== undefined) this.keys.release(claimed.task.key, claimed.id);
  }

  /** Puts the task back, due in `delayMs`, with attempts+1 (unless countAttempt is false). */
  async retry(claimed: ClaimedTask, opts: RetryOptions): Promise<void> {
    const rec: TaskRecord = {
      ...claimed.task,
      attempts: claimed.task.attempts + (opts.countAttempt === false ? 0 : 1),
      at: Date.now() + Math.max(0, opts.delayMs),
      lastError: opts.error === undefined ? claimed.task.lastError : oneLine(opts.error),
    };
    const dir = await this.levelDir(rec.priority);
    await this.rewriteAndMove(claimed, rec, join(dir, pendingName(dueOf(rec), claimed.id)));
  }

  /** Stores a task straight into failed/ (a batch member that ran out of retries), durably. */
  async failNew(task: NewTask, error: string): Promise<TaskId> {
    const now = Date.now();
    const rec: TaskRecord = { ...toRecord({ ...task, key: undefined }, now), lastError: oneLine(error), failedAt: now };
    const id = newTaskId(now);
    mkdirSync(this.failedDir, { recursive: true, mode: 0o700 });
    await writeDurable(this.tmpDir, [{ path: join(this.failedDir, pendingName(now, id)), data: encodeOrRefuse(rec) }], []);
    return id;
  }

  /** Moves the task to failed/ with `error`, attempts+1 and failedAt; releases its key. */
  async fail(claimed: ClaimedTask, error: string): Promise<void> {
    const rec: TaskRecord = {
      ...claimed.task,
      attempts: claimed.task.attempts + 1,
      lastError: oneLine(error),
      failedAt: Date.now(),
    };
    await this.rewriteAndMove(claimed, rec, join(this.failedDir, pendingOf(claimed)));
    if (rec.key !== undefined) this.keys.release(rec.key, claimed.id);
  }

  /**
   * Counts and up to `limit` (default 100) entries per state. Like every
   * scan, it moves foreign files it meets to quarantine/ first.
   */
  async list(opts: { limit?: number } = {}): Promise<SpoolListing> {
    const limit = opts.limit ?? 100;
    const out: SpoolListing = {
      pending: { count: 0, entries: [] },
      running: { count: 0, entries: [] },
      failed: { count: 0, entries: [] },
      quarantined: { count: 0, entries: [] },
    };
    const add = (state: TaskState, e: () => TaskEntry) => {
      const bucket = state === "quarantined" ? out.quarantined : out[state];
      if (bucket.count++ < limit) bucket.entries.push(e());
    };
    this.rescan();
    for (const lv of this.levels!) {
      for (const name of lv.names) {
        const p = parsePendingName(name)!;
        const ref = join(lv.dir, name);
        add("pending", () => entry(p.id, "pending", ref, p.due, lv.priority ?? undefined));
      }
    }
    for (const name of readdirSync(this.runningDir).sort()) {
      const p = parseRunningName(name);
      if (!p) { this.quarantine(join(this.runningDir, name), "unexpected file name in running/"); continue; }
      const ref = join(this.runningDir, name);
      add("running", () => ({ ...entry(p.id, "running", ref, p.due), pid: p.pid }));
    }
    for (const name of readdirSync(this.failedDir).sort()) {
      const p = parsePendingName(name);
      if (!p) { this.quarantine(join(this.failedDir, name), "unexpected file name in failed/"); continue; }
      add("failed", () => entry(p.id, "failed", join(this.failedDir, name), p.due));
    }
    for (const name of readdirSync(this.quarantineDir).sort()) {
      if (name.endsWith(REASON_SUFFIX)) continue;
      const ref = join(this.quarantineDir, name);
      add("quarantined", () => ({ id: name, state: "quarantined", ref, reason: readReason(ref) }));
    }
    return out;
  }

  /**
   * Finds claims whose process is dead (per `isAlive`; a Set means "these
   * are the only live claimers") and counts that as a failed attempt:
   * re-queued with back-off, or moved to failed/ with "process died while
   * running the task (attempt N)" past its retry limit. This is how a task
   * that kills its process every time stops looping. Also removes temp files
   * abandoned by dead writers. Pass a real liveness check (pidIsAlive) when
   * processes other than the set's may claim from this directory.
   */
  async recover(isAlive: Set<number> | ((pid: number) => boolean)): Promise<RecoverResult> {
    const alive = typeof isAlive === "function" ? isAlive : (pid: number) => isAlive.has(pid);
    const result: RecoverResult = { requeued: [], failed: [] };
    for (const name of readdirSync(this.runningDir)) {
      const path = join(this.runningDir, name);
      const p = parseRunningName(name);
      if (!p) { this.quarantine(path, "unexpected file name in running/"); continue; }
      if (p.pid === this.pid || p.pid === process.pid || alive(p.pid)) continue;
      // Take the claim over first: of two recoverers only one wins this rename.
      const mine = join(this.runningDir, runningName(p.pending, this.pid));
      try { renameSync(path, mine); } catch (e) { if (isENOENT(e)) continue; throw e; }
      const task = this.readOrQuarantine(mine, path);
      if (!task) continue;
      const claimed: ClaimedTask = { id: p.id, task, ref: mine };
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
    this.removeAbandonedTmp(alive);
    return result;
  }

  /** Earliest due time among pending tasks (unix ms) as of the index, or null. */
  async nextDueAt(): Promise<number | null> {
    if (this.levels === null || Date.now() - this.scannedAt > this.maxIndexAgeMs) this.rescan();
    let min: number | null = null;
    for (const lv of this.levels!) {
      if (lv.pos >= lv.names.length) continue;
      const due = Number(lv.names[lv.pos].slice(0, 13));
      if (min === null || due < min) min = due;
    }
    return min;
  }

  /** One task by id, in any state, with its record; null if unknown. */
  async get(id: TaskId): Promise<TaskEntry | null> {
    const where = this.locate(id);
    if (!where) return null;
    const due = where.state === "running" ? parseRunningName(basename(where.ref))?.due : parsePendingName(basename(where.ref))?.due;
    const e = entry(id, where.state, where.ref, due, where.priority);
    if (where.state === "running") e.pid = parseRunningName(basename(where.ref))?.pid;
    return e;
  }

  /**
   * Moves failed tasks back to pending, due now, with attempts reset to 0
   * (lastError kept). With an id, a task whose dedup key is taken again
   * throws SpoolError; with "all", such tasks stay in failed/. Returns how
   * many moved.
   */
  async retryFailed(id: TaskId | "all"): Promise<number> {
    let moved = 0;
    const dirs = new Set<string>();
    for (const name of readdirSync(this.failedDir)) {
      const p = parsePendingName(name);
      if (!p || (id !== "all" && p.id !== id)) continue;
      // Claim it like a pending task so two concurrent retries cannot both move it.
      const mine = join(this.runningDir, runningName(name, this.pid));
      try { renameSync(join(this.failedDir, name), mine); } catch (e) { if (isENOENT(e)) continue; throw e; }
      const task = this.readOrQuarantine(mine, join(this.failedDir, name));
      if (!task) continue;
      const claimed: ClaimedTask = { id: p.id, task, ref: mine };
      if (task.key !== undefined) {
        try {
          await this.keys.acquire(task.key, p.id);
        } catch (e) {
          renameSync(mine, join(this.failedDir, name));
          if (id === "all") continue;
          throw e;
        }
      }
      const rec: TaskRecord = { ...task, attempts: 0, at: Date.now(), failedAt: undefined };
      const dir = await this.levelDir(rec.priority);
      await this.rewriteAndMove(claimed, rec, join(dir, pendingName(dueOf(rec), p.id)));
      dirs.add(dir);
      moved++;
    }
    await Promise.all([...dirs].map(fsyncDir));
    return moved;
  }

  /** Deletes every task in failed/ (they were kept for inspection only); returns how many. */
  async purgeFailed(): Promise<number> {
    let n = 0;
    for (const name of readdirSync(this.failedDir)) {
      try { unlinkSync(join(this.failedDir, name)); n++; } catch (e) { if (!isENOENT(e)) throw e; }
    }
    return n;
  }

  // ---- internals ----

  private claimFromIndex(now: number): ClaimedTask | null {
    for (const lv of this.levels!) {
      while (lv.pos < lv.names.length) {
        const name = lv.names[lv.pos];
        // Names sort by due time: once one is in the future, so is the rest of this level.
        if (Number(name.slice(0, 13)) > now) break;
        lv.pos++;
        const ref = join(this.runningDir, runningName(name, this.pid));
        try {
          renameSync(join(lv.dir, name), ref);
        } catch (e) {
          if (isENOENT(e)) continue; // another process claimed it first
          throw e;
        }
        const task = this.readOrQuarantine(ref, join(lv.dir, name));
        if (task) return { id: parsePendingName(name)!.id, task, ref };
      }
    }
    return null;
  }

  /**
   * Reads a file we hold; a corrupt one goes to quarantine and yields null.
   * `from` is where the file was found (what the log line should name).
   */
  private readOrQuarantine(path: string, from: string): TaskRecord | null {
    try {
      return decodeTask(readFileSync(path));
    } catch (e) {
      if (!(e instanceof TaskDecodeError)) throw e;
      this.quarantine(path, e.message, from);
      return null;
    }
  }

  /** Replaces a held file's content (fsynced), then moves it to `dest`. */
  private async rewriteAndMove(claimed: ClaimedTask, rec: TaskRecord, dest: string): Promise<void> {
    // Check we still hold it: rewriting a vanished file would resurrect a copy.
    try { statSync(claimed.ref); } catch (e) { if (isENOENT(e)) throw notClaimed(claimed); throw e; }
    await replaceSynced(this.tmpDir, claimed.ref, encodeTask(rec));
    renameSync(claimed.ref, dest);
  }

  /** Directory of a priority level, created on first use (its parent is then fsynced too). */
  private async levelDir(priority: number | undefined, newParents?: Set<string>): Promise<string> {
    if (priority === undefined) return this.dir;
    const dir = join(this.dir, String(priority));
    if (!this.knownDirs.has(dir)) {
      const made = await fsp().mkdir(dir, { recursive: true, mode: 0o700 });
      if (made !== undefined) {
        if (newParents) newParents.add(this.dir);
        else await fsyncDir(this.dir);
      }
      this.knownDirs.add(dir);
    }
    return dir;
  }

  /** Where a task id is now, without reading it. */
  private locate(id: TaskId): { state: TaskState; ref: string; priority?: number } | null {
    if (!isTaskId(id)) return null;
    const suffix = `_${id}.task`;
    for (const name of readdirSync(this.runningDir)) {
      if (name.includes(suffix + ".")) return { state: "running", ref: join(this.runningDir, name) };
    }
    this.rescan();
    for (const lv of this.levels!) {
      const name = lv.names.find((n) => n.endsWith(suffix));
      if (name) return { state: "pending", ref: join(lv.dir, name), priority: lv.priority ?? undefined };
    }
    const failed = readdirSync(this.failedDir).find((n) => n.endsWith(suffix));
    return failed ? { state: "failed", ref: join(this.failedDir, failed) } : null;
  }

  /** Moves `path` to quarantine/; `from` (default `path`) names it in the report and the new name. */
  private quarantine(path: string, reason: string, from = path): void {
    if (this.onForeign) return this.onForeign(from, reason);
    const dest = quarantineFile(this.quarantineDir, path, reason, basename(from));
    if (dest && this.onQuarantine) this.onQuarantine(from, reason, dest);
  }

  private removeAbandonedTmp(alive: (pid: number) => boolean): void {
    const now = Date.now();
    for (const name of readdirSync(this.tmpDir)) {
      const owner = tmpOwner(name);
      if (owner === null || owner === process.pid || alive(owner)) continue;
      const path = join(this.tmpDir, name);
      try {
        if (now - statSync(path).mtimeMs > ABANDONED_TMP_MS) unlinkSync(path);
      } catch { /* raced with its writer or another cleaner */ }
    }
  }
}

/** Validates a NewTask and builds its first record; throws SpoolError naming the bad field. */
function toRecord(t: NewTask, now: number): TaskRecord {
  const bad = (what: string, v: unknown) => new SpoolError(`spool task ${what}: got ${show(v)}`);
  if (typeof t?.name !== "string" || t.name === "") throw bad("name must be a non-empty string", t?.name);
  if (t.at !== undefined && !Number.isFinite(t.at)) throw bad("at must be a unix time in ms", t.at);
  if (t.priority !== undefined && !(Number.isSafeInteger(t.priority) && t.priority >= 0 && t.priority < 1e15)) {
    throw bad("priority must be a non-negative integer", t.priority);
  }
  if (t.retries !== undefined && !(t.retries >= 0 && (Number.isInteger(t.retries) || t.retries === Infinity))) {
    throw bad("retries must be a non-negative integer or Infinity", t.retries);
  }
  if (t.backoff !== undefined && !(Number.isFinite(t.backoff) && t.backoff >= 0)) {
    throw bad("backoff must be a non-negative number of seconds", t.backoff);
  }
  if (t.key !== undefined && (typeof t.key !== "string" || t.key === "")) throw bad("key must be a non-empty string", t.key);
  if (t.body !== undefined && !(t.body instanceof Uint8Array)) throw bad("body must be a Uint8Array", t.body);
  return {
    v: 1, name: t.name, args: t.args ?? null, body: t.body, at: t.at, priority: t.priority,
    retries: t.retries, backoff: t.backoff, attempts: t.attempts ?? 0, key: t.key, enqueuedAt: now, trace: t.trace,
    ...(t.lastError !== undefined ? { lastError: t.lastError } : {}),
  };
}

function encodeOrRefuse(rec: TaskRecord): Uint8Array {
  try {
    return encodeTask(rec);
  } catch (e) {
    throw new SpoolError(`spool task "${rec.name}" has arguments msgpack cannot store: ${oneLine(e)}`);
  }
}

function entry(id: string, state: TaskState, ref: string, dueAt?: number, priority?: number): TaskEntry {
  let task: TaskRecord | undefined;
  try { task = decodeTask(readFileSync(ref)); } catch { /* moved meanwhile, or corrupt: listed without record */ }
  return { id, state, ref, dueAt, priority: priority ?? task?.priority, task };
}

function readReason(ref: string): string | undefined {
  try { return readFileSync(ref + REASON_SUFFIX, "utf8").trim(); } catch { return undefined; }
}

function pendingOf(c: ClaimedTask): string {
  const p = parseRunningName(basename(c.ref));
  if (!p) throw new SpoolError(`not a claimed task file: ${c.ref}`);
  return p.pending;
}

function notClaimed(c: ClaimedTask): SpoolError {
  return new SpoolError(`task ${c.id} is no longer held by this process: ${c.ref} is gone (recovered by another process?)`);
}

function isENOENT(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === "ENOENT";
}

const show = shown;
