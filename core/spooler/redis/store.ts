/**
 * The spool on Redis: a queue that every instance naming the same
 * redis://host:port/db#NAME shares. Key layout in keys.ts, state moves as
 * Lua scripts in scripts.ts (one round trip each).
 *
 * Guarantees (docs/guarantees.md, "The Redis store"):
 * - `enqueue` resolves once Redis has stored the task; with appendfsync
 *   always (checked at start) that means fsynced into its AOF;
 * - a task is held by at most one claimer: claims are atomic scripts, and a
 *   claim re-sent after a reconnect returns the same task (its token);
 * - at least once: a claim is a lease (default 5 s) renewed every third of
 *   it while the task runs; a dead local claimer is re-queued at once by
 *   `recover()` (its pid is checked), and a claim whose lease expired (its
 *   whole instance died) is re-queued by the next claim anywhere, the
 *   attempt counted either way.
 *
 * @example
 * const store = await RedisSpoolStore.open(parseRedisUrl("redis://127.0.0.1:6379/0#jobs"));
 * await store.enqueue({ name: "mail", args: { to: "a@b" } });
 * const c = await store.claim();
 * if (c) await store.complete(c);
 */
import { hostname } from "node:os";
import { SpoolError, oneLine, shown } from "../../errors.ts";
import type { RedisAddress } from "../../redis/url.ts";
import { randomHex } from "../../runtime/random.ts";
import type {
  ClaimedTask, NewTask, RecoverResult, RetryOptions, SpoolBackend, SpoolListing, TaskEntry, TaskId, TaskState,
} from "../backend.ts";
import { newTaskId } from "../names.ts";
import { decodeTask, encodeTask, TaskDecodeError, type TaskRecord } from "../task.ts";
import { newClient, type RedisClient } from "./connect.ts";
import { RedisUnavailable, shownUrl } from "./errors.ts";
import { spoolKeys, type SpoolKeys } from "./keys.ts";
import { type ScriptName, SCRIPTS, scriptSource } from "./scripts.ts";

/** Lease of a claim when the options do not say, ms: expiry re-queues a dead instance's task after this. */
export const DEFAULT_LEASE_MS = 5000;

export interface RedisStoreOptions {
  /** Claim lease, ms (renewed every third of it while held). */
  leaseMs?: number;
  /** Who claims: "host/pid" by default; recover() checks pids of its own host only. */
  owner?: string;
  /** Told once per undecodable entry moved to quarantine (log one line). */
  onQuarantine?: (id: string, reason: string) => void;
  /** spool() gives up after this long without Redis, ms (default 30 s), rejecting with RedisUnavailable. */
  acceptTimeoutMs?: number;
}

interface Held { id: string; token: string }

/** The Redis implementation of SpoolBackend. */
export class RedisSpoolStore implements SpoolBackend {
  readonly keys: SpoolKeys;
  readonly leaseMs: number;
  readonly owner: string;
  private readonly host = hostname();
  private readonly held = new Map<string, Held>();
  private renewTimer: ReturnType<typeof setInterval> | undefined;
  private blocker: RedisClient | null = null;
  private closed = false;

  constructor(readonly addr: RedisAddress, readonly client: RedisClient, private readonly opts: RedisStoreOptions = {}) {
    if (!addr.name) throw new SpoolError(`a Redis spool needs a name after '#': got ${shown(shownUrl(addr))}`);
    this.keys = spoolKeys(addr.name);
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.owner = opts.owner ?? `${this.host}/${process.pid}`;
    for (const name of Object.keys(SCRIPTS) as ScriptName[]) {
      if (!(client as any)[name]) client.defineCommand(name, { numberOfKeys: this.keys.list.length, lua: scriptSource(name) });
    }
  }

  /** Opens a store on its own reconnecting client. */
  static async open(addr: RedisAddress, opts: RedisStoreOptions = {}): Promise<RedisSpoolStore> {
    return new RedisSpoolStore(addr, await newClient(addr), opts);
  }

  /** Where this spool lives, as users name it (no password). */
  get ref(): string {
    return `${shownUrl(this.addr)}#${this.addr.name}`;
  }

  private run(name: ScriptName, args: (string | number | Uint8Array)[], buffers = false): Promise<any> {
    const fn = (this.client as any)[buffers ? `${name}Buffer` : name];
    return fn.call(this.client, ...this.keys.list, ...args.map((a) => (a instanceof Uint8Array ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : a)));
  }

  async enqueue(task: NewTask): Promise<TaskId> {
    return (await this.enqueueMany([task]))[0];
  }

  /** All tasks in one script: one round trip, one AOF fsync, atomically (all or none). */
  async enqueueMany(tasks: NewTask[]): Promise<TaskId[]> {
    if (tasks.length === 0) return [];
    const now = Date.now();
    const args: (string | number | Uint8Array)[] = [now, tasks.length];
    const ids: TaskId[] = [];
    for (const t of tasks) {
      const rec = toRecord(t, now);
      const id = newTaskId(now);
      ids.push(id);
      args.push(
        id, encodeOrRefuse(rec), Math.max(rec.at ?? 0, now),
        rec.priority === undefined ? "" : String(rec.priority).padStart(16, "0"),
        rec.retries === undefined ? "" : rec.retries === Infinity ? "inf" : String(rec.retries),
        rec.backoff === undefined ? "" : String(rec.backoff),
        rec.key ?? "", rec.attempts, rec.lastError ?? "",
      );
    }
    const r = await this.bounded(this.run("mfEnqueue", args), "spool()");
    if (r[0] === "dup") throw new SpoolError(`a task with key "${r[1]}" is already pending: ${r[2]}`);
    return ids;
  }

  /** Rejects with RedisUnavailable when Redis does not answer within the accept bound (the command may still land later). */
  private bounded<T>(p: Promise<T>, what: string): Promise<T> {
    const ms = this.opts.acceptTimeoutMs ?? 30_000;
    if (this.client.status === "ready") return p;
    return new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new RedisUnavailable(`${what} to ${this.ref}: Redis did not answer within ${ms} ms (status ${this.client.status})`)), ms);
      p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
    });
  }

  async claim(now: number = Date.now()): Promise<ClaimedTask | null> {
    for (;;) {
      const token = randomHex(12);
      const r = await this.run("mfClaim", [now, token, this.owner, this.leaseMs], true);
      if (!r) return null;
      const id = String(r[0]);
      const meta = JSON.parse(String(r[2]));
      let task: TaskRecord;
      try {
        task = overlay(decodeTask(new Uint8Array(r[1] ?? [])), meta);
      } catch (e) {
        if (!(e instanceof TaskDecodeError)) throw e;
        await this.run("mfQuarantine", [id, token, e.message]);
        this.opts.onQuarantine?.(id, e.message);
        continue;
      }
      this.hold({ id, token });
      return { id, task, ref: `${this.ref}/${id}#${token}` };
    }
  }

  private hold(h: Held) {
    this.held.set(h.token, h);
    if (this.renewTimer) return;
    this.renewTimer = setInterval(() => void this.renewAll(), Math.max(50, Math.floor(this.leaseMs / 3)));
    (this.renewTimer as any).unref?.();
  }

  private release(token: string) {
    this.held.delete(token);
    if (this.held.size === 0 && this.renewTimer) { clearInterval(this.renewTimer); this.renewTimer = undefined; }
  }

  /** Extends the lease of every task this store holds (a lost one is left to its settle call to report). */
  async renewAll(): Promise<void> {
    await Promise.all([...this.held.values()].map((h) => this.run("mfRenew", [h.id, h.token, this.leaseMs]).catch(() => 0)));
  }

  private async settle(claimed: ClaimedTask, name: ScriptName, args: (string | number)[]): Promise<void> {
    const token = tokenOf(claimed);
    const r = Number(await this.run(name, [claimed.id, token, ...args]));
    this.release(token);
    if (r === -1) throw new SpoolError(`task ${claimed.id} is no longer held by this process: its lease expired and another claimer took it`);
  }

  async complete(claimed: ClaimedTask): Promise<void> {
    await this.settle(claimed, "mfComplete", []);
  }

  async retry(claimed: ClaimedTask, opts: RetryOptions): Promise<void> {
    await this.settle(claimed, "mfRetry", [Date.now(), Math.max(0, opts.delayMs), opts.error === undefined ? "\0" : oneLine(opts.error), opts.countAttempt === false ? 0 : 1]);
  }

  async fail(claimed: ClaimedTask, error: string): Promise<void> {
    await this.settle(claimed, "mfFail", [Date.now(), oneLine(error)]);
  }

  /**
   * Re-queues (attempt counted) tasks claimed from this host by a pid that
   * `isAlive` says is dead, and every task whose lease expired, wherever
   * its claimer was.
   */
  async recover(isAlive: Set<number> | ((pid: number) => boolean)): Promise<RecoverResult> {
    const alive = typeof isAlive === "function" ? isAlive : (pid: number) => isAlive.has(pid);
    const out: RecoverResult = { requeued: [], failed: [] };
    const ids = await this.client.zrange(this.keys.running, 0, -1);
    const metas = ids.length ? await this.client.hmget(this.keys.meta, ...ids) : [];
    const now = Date.now();
    for (let i = 0; i < ids.length; i++) {
      const m = metas[i] ? JSON.parse(metas[i]!) : null;
      const [host, pidText] = String(m?.o ?? "").split("/");
      const pid = Number(pidText);
      if (!m || host !== this.host || pid === process.pid || alive(pid)) continue;
      const r = Number(await this.run("mfRecoverOne", [ids[i], m.t, now, "process died while running the task"]));
      if (r === 1) out.requeued.push(ids[i]);
      else if (r === 2) out.failed.push(ids[i]);
    }
    await this.run("mfReap", [now, 1000]);
    return out;
  }

  async nextDueAt(): Promise<number | null> {
    const r = await this.run("mfNextDue", [Date.now()]);
    return r === null ? null : Number(r);
  }

  /**
   * Waits until a task may have arrived (a marker on the wake list, pushed
   * by every accept on any instance) or `ms` passed. A dedicated connection
   * blocks; the timeout is always finite (a blocked pop can hang after a
   * short disconnect: redis/ioredis#1888).
   */
  async waitForWork(ms: number): Promise<boolean> {
    if (this.closed) return false;
    this.blocker ??= this.client.duplicate({ connectionName: "mulefarm-spool-wait" } as any);
    this.blocker.on("error", () => {});
    const seconds = Math.max(0.01, Math.min(ms, 60_000) / 1000);
    try {
      return (await this.blocker.blpop(this.keys.wake, seconds)) !== null;
    } catch {
      return false;
    }
  }

  async list(opts: { limit?: number } = {}): Promise<SpoolListing> {
    const limit = opts.limit ?? 100;
    const k = this.keys;
    const counts = await this.client.multi()
      .zcard(k.ready).zcard(k.delayed).zcard(k.running).zcard(k.failed).hlen(k.quar).exec();
    const [ready, delayed, running, failed, quar] = counts!.map(([, v]) => Number(v));
    const out: SpoolListing = {
      pending: { count: ready + delayed, entries: [] },
      running: { count: running, entries: [] },
      failed: { count: failed, entries: [] },
      quarantined: { count: quar, entries: [] },
    };
    if (limit <= 0) return out;
    const pend = [
      ...(await this.client.zrange(k.ready, 0, limit - 1)),
      ...(await this.client.zrange(k.delayed, 0, limit - 1)),
    ].slice(0, limit).map((mem) => mem.split(":").slice(3).join(":"));
    const run = await this.client.zrange(k.running, 0, limit - 1);
    const fail = await this.client.zrange(k.failed, 0, limit - 1);
    const [, q] = await this.client.hscan(k.quar, 0, "COUNT", limit);
    out.pending.entries = await this.entries(pend);
    out.running.entries = await this.entries(run);
    out.failed.entries = await this.entries(fail);
    for (let i = 0; i < q.length && out.quarantined.entries.length < limit; i += 2) {
      out.quarantined.entries.push({ id: q[i], state: "quarantined", ref: `${this.ref}/${q[i]}`, reason: q[i + 1] });
    }
    return out;
  }

  private async entries(ids: string[]): Promise<TaskEntry[]> {
    if (!ids.length) return [];
    const [metas, recs] = await Promise.all([
      this.client.hmget(this.keys.meta, ...ids),
      this.client.hmgetBuffer(this.keys.rec, ...ids),
    ]);
    const out: TaskEntry[] = [];
    ids.forEach((id, i) => { const e = toEntry(this.ref, id, metas[i], recs[i]); if (e) out.push(e); });
    return out;
  }

  async get(id: TaskId): Promise<TaskEntry | null> {
    const [meta, rec] = await Promise.all([this.client.hget(this.keys.meta, id), this.client.hgetBuffer(this.keys.rec, id)]);
    const e = toEntry(this.ref, id, meta, rec);
    if (e?.state === "quarantined") e.reason = (await this.client.hget(this.keys.quar, id)) ?? undefined;
    return e;
  }

  async retryFailed(id: TaskId | "all"): Promise<number> {
    const r = await this.run("mfRetryFailed", [id === "all" ? "" : id, Date.now()]);
    if (r[1] !== undefined) throw new SpoolError(`a task with key "${r[1]}" is already pending: ${r[2]}`);
    return Number(r[0]);
  }

  async purgeFailed(): Promise<number> {
    return Number(await this.run("mfPurgeFailed", []));
  }

  /** Closes both connections (tasks still held stay leased until they expire). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.blocker?.disconnect();
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

function tokenOf(c: ClaimedTask): string {
  const i = c.ref.lastIndexOf("#");
  if (i < 0) throw new SpoolError(`not a task claimed from Redis: ${c.ref}`);
  return c.ref.slice(i + 1);
}

/** The stored record with what the scripts changed since (attempts, error, due, failedAt). */
function overlay(rec: TaskRecord, m: any): TaskRecord {
  const out: TaskRecord = { ...rec, attempts: Number(m.a ?? rec.attempts) };
  if (m.e !== undefined) out.lastError = m.e;
  if (m.at !== undefined) out.at = Number(m.at);
  if (m.f !== undefined) out.failedAt = Number(m.f);
  return out;
}

const STATES: Record<string, TaskState> = { p: "pending", r: "running", f: "failed", x: "quarantined" };

function toEntry(ref: string, id: string, metaText: string | null, bytes: Buffer | null): TaskEntry | null {
  if (!metaText) return null;
  const m = JSON.parse(metaText);
  const e: TaskEntry = { id, state: STATES[m.s] ?? "pending", ref: `${ref}/${id}`, dueAt: Number(m.d) };
  if (m.p !== undefined) e.priority = Number(m.p);
  if (m.s === "r") e.pid = Number(String(m.o ?? "").split("/")[1]) || undefined;
  if (bytes) { try { e.task = overlay(decodeTask(new Uint8Array(bytes)), m); } catch { /* quarantined garbage: no record */ } }
  return e;
}

/** Validates a NewTask and builds its first record; throws SpoolError naming the bad field. */
function toRecord(t: NewTask, now: number): TaskRecord {
  const bad = (what: string, v: unknown) => new SpoolError(`spool task ${what}: got ${shown(v)}`);
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
    retries: t.retries, backoff: t.backoff, attempts: t.attempts ?? 0, key: t.key, enqueuedAt: now,
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
