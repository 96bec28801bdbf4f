// Inspection and repair of a Redis spool (`mulefarm spool ls|show|retry|
// purge`, stats, /metrics, uwsgi.spooler_jobs): reads only, except the two
// repairs, which are scripts. A task's ref is the spool's address, "/" and
// its id: redis://host:port/db#NAME/ID.
import type { RedisClient } from "../../redis/client.ts";
import { SpoolError } from "../../errors.ts";
import type { SpoolCounts, SpoolInspection, SpoolListing, TaskEntry, TaskId } from "../store.ts";
import type { TaskRecord } from "../task.ts";
import { spoolKeys, type SpoolKeys } from "./keys.ts";
import { toEntry } from "./record.ts";

const BOUND_MS = 5000;

/** Tasks in one ZSET member: prio:due:seq:id (see scripts.ts). */
function idOfMember(mem: string): string {
  return mem.split(":").slice(3).join(":");
}

export class RedisInspection implements SpoolInspection {
  readonly keys: SpoolKeys;

  constructor(readonly address: string, readonly client: RedisClient) {
    const name = client.address.name;
    if (!name) throw new SpoolError(`a Redis spooler address must name its spool after '#' (redis://host:port/db#NAME): got "${address}"`);
    this.keys = spoolKeys(name);
  }

  /** The ref of task `id` (shown to people: a password in the address is masked). */
  refOf(id: string): string {
    return `${this.shown}/${id}`;
  }

  /** The address as logs and listings show it: without its password. */
  get shown(): string {
    return this.address.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
  }

  /** The id in a ref (or the id itself). */
  protected idOf(idOrRef: string): string {
    for (const a of [this.address, this.shown]) if (idOrRef.startsWith(a + "/")) return idOrRef.slice(a.length + 1);
    return idOrRef.slice(idOrRef.lastIndexOf("/") + 1);
  }

  protected r<T>(fn: (r: RedisClient["redis"]) => Promise<T>): Promise<T> {
    return this.client.run(BOUND_MS, fn, `spooler ${this.shown}`);
  }

  async counts(): Promise<SpoolCounts> {
    const k = this.keys;
    const res = await this.r((r) => r.multi().zcard(k.ready).zcard(k.delayed).zcard(k.running).zcard(k.failed).hlen(k.quar).exec());
    const [ready, delayed, running, failed, quarantined] = res!.map(([, v]) => Number(v));
    return { pending: ready + delayed, running, failed, quarantined };
  }

  async list(opts: { limit?: number } = {}): Promise<SpoolListing> {
    const limit = opts.limit ?? 100;
    const c = await this.counts();
    const out: SpoolListing = {
      pending: { count: c.pending, entries: [] },
      running: { count: c.running, entries: [] },
      failed: { count: c.failed, entries: [] },
      quarantined: { count: c.quarantined, entries: [] },
      foreign: [],
    };
    if (limit <= 0) return out;
    const k = this.keys;
    const [ready, delayed, run, fail, quar] = await this.r((r) => Promise.all([
      r.zrange(k.ready, "0", String(limit - 1)), r.zrange(k.delayed, "0", String(limit - 1)),
      r.zrange(k.running, "0", String(limit - 1)), r.zrange(k.failed, "0", String(limit - 1)), r.hscan(k.quar, 0, "COUNT", limit),
    ]));
    out.pending.entries = await this.entries([...ready, ...delayed].slice(0, limit).map(idOfMember));
    out.running.entries = await this.entries(run);
    out.failed.entries = await this.entries(fail);
    const q = quar[1];
    const qe = await this.entries(q.filter((_, i) => i % 2 === 0).slice(0, limit));
    for (const e of qe) e.reason = q[q.indexOf(e.id) + 1];
    out.quarantined.entries = qe;
    return out;
  }

  private async entries(ids: string[]): Promise<TaskEntry[]> {
    if (!ids.length) return [];
    const [metas, recs] = await this.r((r) => Promise.all([r.hmget(this.keys.meta, ...ids), r.hmgetBuffer(this.keys.rec, ...ids)]));
    const out: TaskEntry[] = [];
    ids.forEach((id, i) => { const e = toEntry(this.refOf(id), id, metas[i], recs[i]); if (e) out.push(e); });
    return out;
  }

  async get(idOrRef: string): Promise<TaskEntry | null> {
    const id = this.idOf(idOrRef);
    const [meta, rec, reason] = await this.r((r) => Promise.all([r.hget(this.keys.meta, id), r.hgetBuffer(this.keys.rec, id), r.hget(this.keys.quar, id)]));
    const e = toEntry(this.refOf(id), id, meta, rec);
    if (e && reason !== null) e.reason = reason;
    return e;
  }

  async jobs(limit = 1000): Promise<string[]> {
    const k = this.keys;
    const [ready, delayed] = await this.r((r) => Promise.all([r.zrange(k.ready, "0", String(limit - 1)), r.zrange(k.delayed, "0", String(limit - 1))]));
    return [...ready, ...delayed].slice(0, limit).map((m) => this.refOf(idOfMember(m)));
  }

  async readTask(ref: string): Promise<TaskRecord | null> {
    return (await this.get(ref))?.task ?? null;
  }

  async retryFailed(id: TaskId | "all"): Promise<number> {
    const r: any = await this.r((c: any) => c.mfRetryFailed(...this.keys.list, id === "all" ? "" : this.idOf(id), Date.now()));
    if (r[1] !== undefined) throw new SpoolError(`a task with key "${r[1]}" is already pending: ${r[2]}`);
    return Number(r[0]);
  }

  async purgeFailed(): Promise<number> {
    return Number(await this.r((c: any) => c.mfPurgeFailed(...this.keys.list)));
  }
}
