// Task control of a spool directory: everything lives under DIR/state/ (a
// name the store's scan reserves), one small file per fact:
//   state/paused              exists while paused (survives restarts)
//   state/results/<slot>/<b>.log  results, appended (file-results.ts)
//   state/cancel/<id>         a cancel mark
//   state/progress/<id>       msgpack progress value
//   state/events.log          length-prefixed msgpack events, appended (O_APPEND)
//   state/rate                start times of the last window (under state/rate.lock)
//   state/groups/<g>          a group's lane exists (lanes.ts); state/gslots/<g> its held run slots (under gslots.lock)
//   state/batches/<id>        msgpack BatchState; state/batches/<id>.d/<task id> "1" or "0"
// Writes are write-then-rename (a reader never sees half a file) and not
// fsynced: results and progress are best effort; pause and batches are
// written with fsync since they must survive a power cut as tasks do.
import { closeSync, existsSync, fstatSync, fsyncSync, futimesSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { BatchState, SpoolEvent, TaskControl, TaskId, TaskResult } from "./control.ts";
import { pack, unpack } from "./codec.ts";
import { ResultLogs } from "./file-results.ts";
import { pidIsAlive } from "../../base/process.ts";

const pidAlive = (pid: number) => !Number.isFinite(pid) || pid === process.pid || pidIsAlive(pid);

/** Expired results, marks and progress are swept at most this often (and a quarter of the TTL), ms. */
const SWEEP_MS = 30_000;
const EVENTS_MAX = 4 * 1024 * 1024;
const safe = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, "_");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FileControl implements TaskControl {
  readonly dir: string;
  private readonly state: string;
  private lastSweep = Date.now();
  private eventsFd = -1;
  private eventsWritten = 0;
  private readonly results: ResultLogs;
  private made = new Set<string>();
  private tmpSeq = 0;

  constructor(readonly address: string) {
    this.dir = resolve(address.replace(/^file:\/\//i, ""));
    this.state = join(this.dir, "state");
    this.results = new ResultLogs(join(this.state, "results"));
  }

  private sub(name: string): string {
    const p = join(this.state, name);
    if (!this.made.has(p)) { mkdirSync(p, { recursive: true, mode: 0o700 }); this.made.add(p); }
    return p;
  }

  /** Writes `path` whole (write, then rename); `expiresAt` becomes its mtime, which the sweep reads. */
  private put(path: string, bytes: Uint8Array | string, durable = false, expiresAt?: number): void {
    const tmp = `${path}.${process.pid}.${++this.tmpSeq}.tmp`;
    const fd = openSync(tmp, "w", 0o600);
    try {
      writeSync(fd, bytes as any);
      if (expiresAt !== undefined) futimesSync(fd, expiresAt / 1000, expiresAt / 1000);
      if (durable) fsyncSync(fd);
    } finally { closeSync(fd); }
    renameSync(tmp, path);
  }

  private read(path: string): Buffer | null {
    try { return readFileSync(path); } catch { return null; }
  }

  async putResult(id: TaskId, r: TaskResult, ttlMs: number): Promise<void> {
    this.results.put(id, r, ttlMs);
    // Expired marks and progress go, looked for at most every SWEEP_MS (a quarter of the TTL when shorter).
    if (Date.now() - this.lastSweep > Math.min(SWEEP_MS, ttlMs / 4)) {
      this.lastSweep = Date.now();
      for (const s of ["cancel", "progress"]) this.sweep(this.sub(s));
    }
  }

  async getResult(id: TaskId): Promise<TaskResult | null> {
    return this.results.get(id);
  }

  /** Deletes marks and progress past their TTL (each file's mtime is its expiry). */
  private sweep(d: string): void {
    const now = Date.now();
    for (const n of safeList(d)) {
      const p = join(d, n);
      try {
        if (statSync(p).mtimeMs < now) unlinkSync(p);
      } catch { /* gone meanwhile */ }
    }
  }

  async markCancelled(id: TaskId, ttlMs: number): Promise<void> {
    const until = Date.now() + ttlMs;
    this.put(join(this.sub("cancel"), safe(id)), pack({ until }), true, until);
  }
  async isCancelled(id: TaskId): Promise<boolean> {
    return existsSync(join(this.state, "cancel", safe(id)));
  }
  async clearCancelled(id: TaskId): Promise<void> {
    rmSync(join(this.state, "cancel", safe(id)), { force: true });
  }

  async setPaused(paused: boolean): Promise<void> {
    const p = join(this.sub(""), "paused");
    if (paused) this.put(p, `${Date.now()}\n`, true);
    else rmSync(p, { force: true });
  }
  async isPaused(): Promise<boolean> {
    return existsSync(join(this.state, "paused"));
  }

  async setProgress(id: TaskId, value: unknown, ttlMs: number): Promise<void> {
    const until = Date.now() + ttlMs;
    this.put(join(this.sub("progress"), safe(id)), pack({ value, until }), false, until);
  }
  async getProgress(id: TaskId): Promise<unknown | undefined> {
    const b = this.read(join(this.state, "progress", safe(id)));
    if (!b) return undefined;
    try { return unpack<{ value: unknown }>(b).value; } catch { return undefined; }
  }

  async emit(e: SpoolEvent): Promise<void> {
    const body = pack(e);
    const frame = new Uint8Array(4 + body.length);
    new DataView(frame.buffer).setUint32(0, body.length);
    frame.set(body, 4);
    const path = join(this.sub(""), "events.log");
    // Kept open: one write() per event. O_APPEND: frames of concurrent writers never interleave.
    if (this.eventsFd < 0) this.eventsFd = openSync(path, "a", 0o600);
    writeSync(this.eventsFd, frame);
    // Bounded: past its size the log starts again (readers notice it shrank); looked at every 256 events.
    if (++this.eventsWritten % 256 === 0 && fstatSync(this.eventsFd).size > EVENTS_MAX) {
      try { renameSync(path, path + ".1"); } catch { /* another writer did */ }
      closeSync(this.eventsFd);
      this.eventsFd = -1;
    } else if (this.eventsWritten % 256 === 0 && statSync(path, { throwIfNoEntry: false } as any)?.ino !== fstatSync(this.eventsFd).ino) {
      // Another writer rotated it: write to the new log.
      closeSync(this.eventsFd);
      this.eventsFd = -1;
    }
  }

  async *events(signal?: AbortSignal, onReady?: () => void): AsyncIterable<SpoolEvent> {
    const path = join(this.sub(""), "events.log");
    let offset = sizeOf(path);
    onReady?.();
    let idle = 10;
    while (!signal?.aborted) {
      const size = sizeOf(path);
      if (size < offset) offset = 0; // rotated
      if (size === offset) {
        await sleep(idle);
        idle = Math.min(idle * 2, 100);
        continue;
      }
      idle = 10;
      const buf = await readFile(path).catch(() => null);
      if (!buf) continue;
      while (offset + 4 <= buf.length) {
        const n = buf.readUInt32BE(offset);
        if (offset + 4 + n > buf.length) break;
        const e = unpack<SpoolEvent>(buf.subarray(offset + 4, offset + 4 + n));
        offset += 4 + n;
        yield e;
        if (signal?.aborted) return;
      }
    }
  }

  /** Runs `fn` under DIR/state/<name>.lock (an exclusive create; a holder that died leaves it, so one older than 1 s is broken). */
  private async locked<T>(name: string, fn: () => T): Promise<T> {
    const lock = join(this.sub(""), `${name}.lock`);
    let fd = -1;
    for (let i = 0; fd < 0; i++) {
      try { fd = openSync(lock, "wx", 0o600); } catch {
        try { if (Date.now() - statSync(lock).mtimeMs > 1000) unlinkSync(lock); } catch { /* taken meanwhile */ }
        await sleep(Math.min(1 + i, 5));
      }
    }
    try { return fn(); } finally {
      closeSync(fd);
      try { unlinkSync(lock); } catch { /* broken by another */ }
    }
  }

  private readList<T>(path: string): T[] {
    const b = this.read(path);
    if (!b) return [];
    try { return unpack<T[]>(b); } catch { return []; }
  }

  async takeStart(n: number, windowMs: number): Promise<number> {
    return this.locked("rate", () => {
      const path = join(this.state, "rate");
      const now = Date.now();
      const starts = this.readList<number>(path).filter((t) => t > now - windowMs);
      if (starts.length >= n) return Math.max(1, starts[0] + windowMs - now);
      starts.push(now);
      this.put(path, pack(starts));
      return 0;
    });
  }

  async addGroup(g: string): Promise<void> {
    const p = join(this.sub("groups"), safe(g));
    if (!existsSync(p)) this.put(p, g, true);
  }
  async listGroups(): Promise<string[]> {
    return safeList(join(this.state, "groups")).filter((n) => !n.endsWith(".tmp")).sort();
  }
  async takeGroupSlot(g: string, cap: number, holder: string, leaseMs: number): Promise<boolean> {
    return this.locked("gslots", () => {
      const path = join(this.sub("gslots"), safe(g));
      const now = Date.now();
      // A slot is freed by its lease, or at once when its holder process is gone (the holder starts with its pid).
      const held = this.readList<{ h: string; u: number }>(path).filter((x) => x.u > now && pidAlive(Number(x.h.split(":")[0])));
      if (held.length >= cap) return false;
      held.push({ h: holder, u: now + leaseMs });
      this.put(path, pack(held));
      return true;
    });
  }
  async renewGroupSlot(g: string, holder: string, leaseMs: number): Promise<void> {
    await this.locked("gslots", () => {
      const path = join(this.sub("gslots"), safe(g));
      const held = this.readList<{ h: string; u: number }>(path);
      for (const x of held) if (x.h === holder) x.u = Date.now() + leaseMs;
      this.put(path, pack(held));
    });
  }
  async releaseGroupSlot(g: string, holder: string): Promise<void> {
    await this.locked("gslots", () => {
      const path = join(this.sub("gslots"), safe(g));
      this.put(path, pack(this.readList<{ h: string; u: number }>(path).filter((x) => x.h !== holder)));
    });
  }

  async batchOpen(b: BatchState): Promise<void> {
    const d = this.sub("batches");
    mkdirSync(join(d, safe(b.id) + ".d"), { recursive: true, mode: 0o700 });
    this.put(join(d, safe(b.id)), pack(b), true);
  }

  async batchDone(batchId: string, id: TaskId, ok: boolean): Promise<BatchState | null> {
    const d = join(this.state, "batches");
    const b = this.read(join(d, safe(batchId)));
    if (!b) return null;
    const state = unpack<BatchState>(b);
    const members = join(d, safe(batchId) + ".d");
    this.put(join(members, safe(id)), ok ? "1" : "0", true);
    const names = safeList(members).filter((n) => !n.endsWith(".tmp"));
    if (names.length < state.total) return null;
    let succeeded = 0;
    for (const n of names) if (this.read(join(members, n))?.toString() === "1") succeeded++;
    return { ...state, succeeded, failed: names.length - succeeded };
  }

  async batchClose(batchId: string): Promise<void> {
    const d = join(this.state, "batches");
    rmSync(join(d, safe(batchId)), { force: true });
    rmSync(join(d, safe(batchId) + ".d"), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    this.results.closeAll();
    if (this.eventsFd >= 0) closeSync(this.eventsFd);
    this.eventsFd = -1;
  }
}

function safeList(d: string): string[] {
  try { return readdirSync(d); } catch { return []; }
}
function sizeOf(p: string): number {
  try { return statSync(p).size; } catch { return 0; }
}
