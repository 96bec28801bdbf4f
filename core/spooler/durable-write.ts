/**
 * Crash-safe file creation: temp file, write, fsync, rename, fsync the
 * directory. After `writeDurable` resolves, a power cut leaves either the
 * whole file under its final name or nothing. Several files share one
 * directory fsync (group commit), which is what makes enqueueMany cheap.
 *
 * @example
 * await writeDurable(`${dir}/.tmp`, [{ path: `${dir}/a.task`, data: bytes }]);
 */
import { fsp } from "../runtime/lazy-builtins.ts";
import { basename, dirname, join } from "node:path";
import { randomHex } from "../runtime/random.ts";

/** One file to create. */
export interface DurableFile { path: string; data: Uint8Array }

/** Name of a temp file; carries the writer's pid so recovery can tell an abandoned one. */
export function tmpName(): string {
  return `${process.pid}-${randomHex(6)}.tmp`;
}

/**
 * Writes every file through `tmpDir` (same filesystem as the targets, or
 * rename would copy), then fsyncs each distinct target directory once.
 * `extraDirs` are fsynced too (a parent in which a target directory was
 * just created). On error the temp files are removed; with several files a
 * prefix may already have been renamed into place (see the caller's docs).
 */
export async function writeDurable(tmpDir: string, files: DurableFile[], extraDirs: string[] = []): Promise<void> {
  const tmps = files.map(() => join(tmpDir, tmpName()));
  try {
    // Write and fsync all files concurrently: the disk sees one batch.
    await Promise.all(files.map((f, i) => writeSynced(tmps[i], f.data)));
    for (let i = 0; i < files.length; i++) await fsp().rename(tmps[i], files[i].path);
  } catch (e) {
    await Promise.all(tmps.map((t) => fsp().unlink(t).catch(() => {})));
    throw e;
  }
  const dirs = new Set([...files.map((f) => dirname(f.path)), ...extraDirs]);
  await Promise.all([...dirs].map(fsyncDir));
}

/** Replaces `path` atomically with `data` (temp + fsync + rename), without a directory fsync. */
export async function replaceSynced(tmpDir: string, path: string, data: Uint8Array): Promise<void> {
  const tmp = join(tmpDir, tmpName());
  try {
    await writeSynced(tmp, data);
    await fsp().rename(tmp, path);
  } catch (e) {
    await fsp().unlink(tmp).catch(() => {});
    throw e;
  }
}

async function writeSynced(path: string, data: Uint8Array): Promise<void> {
  const fh = await fsp().open(path, "wx", 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
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
  // Async: on a real disk this waits for a journal commit (milliseconds),
  // which must not stall the event loop of the worker that enqueues.
  const fh = await fsp().open(dir, "r");
  try { await fh.sync(); } finally { await fh.close(); }
}

/** Is `name` a temp file written by `pid`? (For cleaning up after a dead writer.) */
export function tmpOwner(name: string): number | null {
  const m = /^(\d+)-[0-9a-f]+\.tmp$/.exec(basename(name));
  return m ? Number(m[1]) : null;
}
