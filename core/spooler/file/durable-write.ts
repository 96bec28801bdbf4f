/**
 * Crash-safe file creation: temp file, write, fsync, rename, fsync the
 * directory. After `writeFiles` and `syncDirs` resolve, a power cut leaves either the
 * whole file under its final name or nothing. Several files share one
 * directory fsync (group commit), which is what makes enqueueMany cheap.
 *
 * @example
 * await writeFiles(`${dir}/.tmp`, [{ path: `${dir}/a.task`, data: bytes }]);
 * await syncDirs([`${dir}/a.task`]);
 */
import { closeSync, fsync, linkSync, mkdirSync, openSync, renameSync, rmSync, statfsSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomHex } from "../../base/random.ts";

/** One file to create. */
export interface DurableFile { path: string; data: Uint8Array }

let tmpPrefix: string | null = null;
let tmpCounter = 0;

/**
 * Name of a temp file; carries the writer's pid so recovery can tell an
 * abandoned one. A per-process random prefix and a counter (not a random
 * draw per file) keep it unique, also across a reused pid.
 */
export function tmpName(): string {
  tmpPrefix ??= `${process.pid}-${randomHex(6)}`;
  tmpCounter = (tmpCounter + 1) % 0x100000000;
  return `${tmpPrefix}${tmpCounter.toString(16).padStart(8, "0")}.tmp`;
}

/**
 * Writes every file through `tmpDir` (same filesystem as the targets, or
 * rename would copy), each fsynced when `sync`. The caller then makes the
 * names durable with `syncDirs` (one fsync per directory for a whole
 * write). On error the temp files are removed; with several files a prefix
 * may already have been renamed into place.
 */
export async function writeFiles(tmpDir: string, files: DurableFile[], sync = true): Promise<void> {
  const tmps = files.map(() => join(tmpDir, tmpName()));
  try {
    // Write and fsync all files concurrently: the disk sees one batch.
    await Promise.all(files.map((f, i) => writeSynced(tmps[i], f.data, sync)));
    for (let i = 0; i < files.length; i++) renameSync(tmps[i], files[i].path);
  } catch (e) {
    for (const t of tmps) unlinkQuietly(t);
    throw e;
  }
}

/** Largest file `writeInPlace` takes: one write within one page, which readers see whole or empty. */
export const IN_PLACE_MAX = 4096;

/**
 * Creates each file under its final name (O_EXCL), with one write of at
 * most IN_PLACE_MAX bytes, fsynced when `sync`: one rename less than
 * `writeFiles`. A reader can meet the file empty (between the create and
 * the write), never half written: a write within one page updates the size
 * after the copy. Readers treat a young empty file as not there yet.
 */
export async function writeInPlace(files: DurableFile[], sync = true): Promise<void> {
  const made: string[] = [];
  try {
    await Promise.all(files.map((f) => { made.push(f.path); return writeSynced(f.path, f.data, sync); }));
  } catch (e) {
    for (const p of made) unlinkQuietly(p);
    throw e;
  }
}

/**
 * A group of tasks as one directory: the group file written (and fsynced)
 * once as 00.task, hard-linked as 01.task … (n-1).task, the directory's
 * entries fsynced, then the directory renamed to `dest`. The caller makes
 * `dest` durable with `syncDirs`. On error nothing is left.
 */
export async function writeGroupDir(tmpDir: string, data: Uint8Array, n: number, dest: string, sync = true): Promise<void> {
  const tmp = join(tmpDir, tmpName());
  try {
    mkdirSync(tmp, { mode: 0o700 });
    const first = join(tmp, "00.task");
    // The links first, then the fsyncs: on a journaling filesystem the file's
    // fsync then commits the links too, and the directory's finds nothing left.
    await writeSynced(first, data, sync, () => {
      for (let k = 1; k < n; k++) linkSync(first, join(tmp, `${String(k).padStart(2, "0")}.task`));
    });
    if (sync) await syncDirNow(tmp);
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** fsyncs each distinct directory of `paths`, and `extraDirs`, once. */
export function syncDirs(paths: string[], extraDirs: string[] = []): Promise<unknown> {
  const dirs = new Set([...paths.map((p) => dirname(p)), ...extraDirs]);
  return Promise.all([...dirs].map(fsyncDir));
}

/** Replaces `path` atomically with `data` (temp + fsync when `sync` + rename), without a directory fsync. */
export async function replaceSynced(tmpDir: string, path: string, data: Uint8Array, sync = true): Promise<void> {
  const tmp = join(tmpDir, tmpName());
  try {
    await writeSynced(tmp, data, sync);
    renameSync(tmp, path);
  } catch (e) {
    unlinkQuietly(tmp);
    throw e;
  }
}

// Only fsync waits for the disk (a journal commit: milliseconds), so only
// fsync leaves the event loop. open/write/rename/close are microseconds on a
// local filesystem, and each async one costs a round trip through the
// runtime's thread pool (~50 µs here under Bun, ~25 under Deno): with every step async, an awaited
// spool() on tmpfs took ~480 µs, ~160 µs with only the fsyncs async.
async function writeSynced(path: string, data: Uint8Array, sync: boolean, beforeSync?: () => void): Promise<void> {
  const fd = openSync(path, "wx", 0o600);
  try {
    for (let off = 0; off < data.length;) off += writeSync(fd, data, off);
    beforeSync?.();
    if (sync) await fsyncFd(fd, dirname(path));
  } finally {
    closeSync(fd);
  }
}

function unlinkQuietly(path: string) {
  try { unlinkSync(path); } catch { /* never written, or already gone */ }
}

/** fsync on the thread pool; none on tmpfs/ramfs, where it is a no-op that would still cost the round trip. */
function fsyncFd(fd: number, dir: string): Promise<void> {
  if (isVolatile(dir)) return Promise.resolve();
  return new Promise((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
}

const TMPFS_MAGIC = 0x01021994, RAMFS_MAGIC = 0x858458f6;
const volatileDirs = new Map<string, boolean>();
/** Is `dir` on a memory filesystem (its files end with the machine anyway)? Asked once per directory. */
export function isVolatile(dir: string): boolean {
  let v = volatileDirs.get(dir);
  if (v === undefined) {
    try {
      const t = Number(statfsSync(dir).type);
      v = t === TMPFS_MAGIC || t === RAMFS_MAGIC;
    } catch {
      v = false; // cannot tell: fsync
    }
    volatileDirs.set(dir, v);
  }
  return v;
}

/**
 * Makes the directory's entries (renames, creations) durable. Linux allows
 * fsync on a read-only directory fd.
 *
 * Group commit inside one process: concurrent callers share fsyncs. A call
 * made while an fsync of the same directory is in flight cannot rely on it
 * (it may have started before the caller's rename), so it joins the next
 * one, which starts when the current one ends and serves every caller that
 * arrived meanwhile. Many concurrent `enqueue()`s thus cost about two
 * directory fsyncs, not one each.
 */
export function fsyncDir(dir: string): Promise<void> {
  if (isVolatile(dir)) return Promise.resolve();
  let s = syncs.get(dir);
  if (!s) syncs.set(dir, (s = { running: null, next: null }));
  const st = s;
  if (!st.running) return start(dir, st);
  if (!st.next) {
    const after = () => { st.next = null; return start(dir, st); };
    st.next = st.running.then(after, after);
  }
  return st.next;
}

interface DirSyncState { running: Promise<void> | null; next: Promise<void> | null }
const syncs = new Map<string, DirSyncState>();

function start(dir: string, st: DirSyncState): Promise<void> {
  const p = syncDirNow(dir);
  st.running = p;
  const clear = () => { if (st.running === p) st.running = null; };
  p.then(clear, clear);
  return p;
}

async function syncDirNow(dir: string): Promise<void> {
  const fd = openSync(dir, "r");
  try { await fsyncFd(fd, dir); } finally { closeSync(fd); }
}

/** Is `name` a temp file written by `pid`? (For cleaning up after a dead writer.) */
export function tmpOwner(name: string): number | null {
  const m = /^(\d+)-[0-9a-f]+\.tmp$/.exec(basename(name));
  return m ? Number(m[1]) : null;
}
