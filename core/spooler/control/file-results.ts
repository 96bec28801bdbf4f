// Task results of a spool directory, kept in append-only bucket logs instead
// of a file per task: a result costs one write() (its bucket's descriptor stays
// open), not a create and a rename, so keeping results does not slow the
// spooler down against group commit (which writes up to 64 tasks per file).
//
//   state/results/<slot>/<bucket>.log   slot = floor(now / SLOT_MS), bucket = hash(id) % BUCKETS
//   a record: u32 length, then msgpack { id, until, ...TaskResult }
//
// Writers append with O_APPEND (one write per record, so records of several
// processes never interleave); a reader of one id reads its bucket in every
// slot, newest first, and takes the last record of that id. A slot is
// deleted once every record in it has expired (slot end + the TTL).
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { TaskResult } from "./control.ts";
import { pack, unpack } from "./codec.ts";

const SLOT_MS = 60_000;
const BUCKETS = 64;

function bucketOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) % BUCKETS;
}

export class ResultLogs {
  private fds = new Map<number, number>();
  private slot = -1;
  private lastSweep = 0;

  constructor(private dir: string) {}

  put(id: string, r: TaskResult, ttlMs: number): void {
    const now = Date.now();
    const slot = Math.floor(now / SLOT_MS);
    if (slot !== this.slot) {
      this.closeAll();
      this.slot = slot;
      mkdirSync(join(this.dir, String(slot)), { recursive: true, mode: 0o700 });
      if (now - this.lastSweep > SLOT_MS / 2) { this.lastSweep = now; this.sweep(now, ttlMs); }
    }
    const b = bucketOf(id);
    let fd = this.fds.get(b);
    if (fd === undefined) {
      fd = openSync(join(this.dir, String(slot), `${b}.log`), "a", 0o600);
      this.fds.set(b, fd);
    }
    const body = pack({ ...r, id, until: now + ttlMs });
    const rec = new Uint8Array(4 + body.length);
    new DataView(rec.buffer).setUint32(0, body.length);
    rec.set(body, 4);
    writeSync(fd, rec);
  }

  get(id: string): TaskResult | null {
    const b = bucketOf(id);
    const slots = list(this.dir).map(Number).filter(Number.isFinite).sort((x, y) => y - x);
    const now = Date.now();
    for (const s of slots) {
      let buf: Buffer;
      try { buf = readFileSync(join(this.dir, String(s), `${b}.log`)); } catch { continue; }
      let found: any = null;
      for (let off = 0; off + 4 <= buf.length;) {
        const n = buf.readUInt32BE(off);
        if (off + 4 + n > buf.length) break;
        try {
          const rec = unpack<any>(buf.subarray(off + 4, off + 4 + n));
          if (rec.id === id) found = rec;
        } catch { /* a damaged record: skip it */ }
        off += 4 + n;
      }
      if (found) {
        if (found.until < now) return null;
        const { id: _i, until: _u, ...r } = found;
        return r as TaskResult;
      }
    }
    return null;
  }

  /** Deletes slots whose every record has expired (by this writer's TTL). */
  private sweep(now: number, ttlMs: number): void {
    for (const name of list(this.dir)) {
      const s = Number(name);
      if (Number.isFinite(s) && (s + 1) * SLOT_MS + ttlMs < now) rmSync(join(this.dir, name), { recursive: true, force: true });
    }
  }

  closeAll(): void {
    for (const fd of this.fds.values()) try { closeSync(fd); } catch { /* closed */ }
    this.fds.clear();
  }
}

function list(d: string): string[] {
  try { return readdirSync(d); } catch { return []; }
}
