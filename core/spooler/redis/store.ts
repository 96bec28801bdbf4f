/**
 * The spool on Redis: a queue that every instance naming the same
 * redis://host:port/db#NAME shares. Key layout in keys.ts, every state
 * move one Lua script (scripts.ts), so one round trip each.
 *
 * Promises (docs/guarantees.md, "Spooler tasks on Redis"), beyond SpoolStore's:
 * - accept: `enqueueMany` stores all its tasks in one script (all or none);
 *   with appendfsync always (checked at open unless sync is "none") the
 *   reply, and so the resolve, comes after Redis fsynced them;
 * - at most one claimer: a claim is a script; a claim re-sent after a
 *   reconnect returns the same task (its token);
 * - at least once with leases: a claim lasts `leaseMs` (4 s) and is renewed
 *   every third of that while held; `recover()` re-queues a dead sibling
 *   claimer's task at once (same instance, pid check) and every claim
 *   anywhere re-queues expired leases first (a whole instance that died),
 *   the attempt counted either way;
 * - wakes cross instances: every accept pushes a marker on the spool's wake
 *   list, on which idle claimers of every instance block (wait.ts);
 * - in a spooler process of this spool, short tasks are claimed and
 *   completed in batches (ahead.ts).
 *
 * @example
 * const store = await openStore("redis://127.0.0.1:6379/0#jobs");
 * await store.enqueue({ name: "mail", args: { to: "a@b" } });
 * const c = await store.claim();
 * if (c) await store.complete(c); else await store.waitForWork(5000);
 */
import { Buffer } from "node:buffer";
import { hostname } from "node:os";
import { SpoolError, oneLine } from "../../errors.ts";
import type { RedisClient } from "../../redis/client.ts";
import { randomHex } from "../../base/random.ts";
import { unrefTimer } from "../../base/timers.ts";
import { ctx, shutdownHooks } from "../../runtime/context.ts";
import type {
  Accepted, ClaimedTask, NewTask, RecoverResult, RetryOptions, SpoolStore, SyncMode, TaskId,
} from "../store.ts";
import { decodeTask, TaskDecodeError, type TaskRecord } from "../task.ts";
import { RedisInspection } from "./inspect.ts";
import { newTaskId, overlay, taskArgs } from "./record.ts";
import { newRecord } from "../record.ts";
import { type ScriptName, SCRIPTS, scriptSource } from "./scripts.ts";
import { WakeWaiter } from "./wait.ts";
import { ClaimAhead } from "./ahead.ts";

/** Lease of a claim when the options do not say, ms: a dead instance's task runs elsewhere this long after. */
export const DEFAULT_LEASE_MS = 4000;

export interface RedisStoreOptions {
  sync?: SyncMode;
  /** Claim lease, ms (renewed every third of it while held). */
  leaseMs?: number;
  /** Claimer pid written into claims (default process.pid; tests fake a dead claimer with it). */
  pid?: number;
  /** Told once per undecodable entry moved to quarantine (log one line). */
  onQuarantine?: (ref: string, reason: string, movedTo: string) => void;
  /** How long spool() waits for a lost connection before it rejects with RedisUnavailable, ms. */
  acceptBoundMs?: number;
}

/** How long other calls wait for a lost connection, ms (the claim loop logs and tries again). */
const OTHER_BOUND_MS = 5000;
/** The Redis implementation of SpoolStore. */
export class RedisSpoolStore extends RedisInspection implements SpoolStore {
  readonly sync: SyncMode;
  readonly leaseMs: number;
  /**
   * "host/instance/pid", instance being the claimer's parent (its master):
   * recover() judges by pid only the claims of its own instance (a sibling
   * that died); another instance's are left to their lease, even on this host.
   */
  readonly owner: string;
  private readonly instance = `${hostname()}/${process.ppid}`;
  private readonly held = new Map<string, string>(); // token -> id
  private renewTimer: ReturnType<typeof setInterval> | undefined;
  private readonly waiter: WakeWaiter;
  private closed = false;
  /** Batch mode (ahead.ts), in a spooler process running this very spool; null elsewhere. */
  private readonly batch: ClaimAhead | null;

  constructor(address: string, client: RedisClient, private readonly opts: RedisStoreOptions = {}) {
    super(address, client);
    this.sync = opts.sync ?? "always";
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.owner = `${this.instance}/${opts.pid ?? process.pid}`;
    this.waiter = new WakeWaiter(client, this.keys.wake, () => this.nextLook(true));
    for (const name of Object.keys(SCRIPTS) as ScriptName[]) {
      if (!(client.redis as any)[name]) client.redis.defineCommand(name, { numberOfKeys: this.keys.list.length, lua: scriptSource(name) });
    }
    this.batch = ctx.meta?.dir === address ? new ClaimAhead(this) : null;
    if (this.batch) shutdownHooks.push(() => this.batch!.giveBack());
  }

  /** Runs a script of scripts.ts on this spool's keys (for ahead.ts too). */
  run(name: ScriptName, args: (string | number | Uint8Array)[], opts: { buffers?: boolean; bound?: number } = {}): Promise<any> {
    const argv = args.map((a) => (a instanceof Uint8Array ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : a));
    return this.client.run(opts.bound ?? OTHER_BOUND_MS, (r: any) => r[opts.buffers ? `${name}Buffer` : name](...this.keys.list, ...argv), `spooler ${this.shown}`);
  }

  async enqueue(task: NewTask): Promise<TaskId> {
    return (await this.enqueueMany([task])).ids[0];
  }

  /** All tasks in one script: one round trip, one AOF fsync, all or none. */
  async enqueueMany(tasks: NewTask[]): Promise<Accepted> {
    if (tasks.length === 0) return { ids: [], wake: "" };
    const now = Date.now();
    const args: (string | number | Uint8Array)[] = [now, tasks.length];
    const ids: TaskId[] = [];
    for (const t of tasks) {
      const id = newTaskId(now);
      ids.push(id);
      args.push(...taskArgs(id, newRecord(t, now), now));
    }
    const r = await this.run("mfEnqueue", args, { bound: this.opts.acceptBoundMs ?? 30_000 });
    if (r[0] === "dup") throw new SpoolError(`a task with key "${r[1]}" is already pending: ${r[2]}`);
    // The wake is the marker the script pushed on the wake list: nothing to relay.
    return { ids, wake: "" };
  }

  async claim(now: number = Date.now()): Promise<ClaimedTask | null> {
    const b = this.batch;
    let told = false;
    if (b && !b.ahead.length && b.done.length) { await b.flush(b.count()); told = true; }
    const next = b?.ahead.shift();
    if (next) {
      next.leaseUntil = Date.now() + this.leaseMs;
      b!.started(next, true);
      return next;
    }
    if (told) return null; // that flush claimed too, and found nothing due
    for (;;) {
      const token = randomHex(12);
      const r = await this.run("mfClaim", [now, token, this.owner, this.leaseMs, b ? b.count() : 1], { buffers: true });
      if (!r) return null;
      let first: ClaimedTask | null = null;
      for (let i = 0; i + 2 < r.length; i += 3) {
        const c = await this.taken(r[i], r[i + 1], r[i + 2], i === 0 ? token : `${token}:${i / 3 + 1}`);
        if (!c) continue;
        if (!first && i === 0) first = c;
        else b?.ahead.push(c);
      }
      const ahead = !first;
      if (!first) first = b?.ahead.shift() ?? null;
      if (first) { b?.started(first, ahead); return first; }
    }
  }

  /** The start mark of a task claimed ahead (ahead.ts): from then on its claimer's death counts. */
  markStarted(c: ClaimedTask): Promise<unknown> {
    const send = (r: RedisClient["redis"]) => r.srem(this.keys.pf, c.id);
    return (this.client.up ? send(this.client.redis) : this.client.run(OTHER_BOUND_MS, send)).catch(() => 0);
  }

  /** A claimed task from a script's reply, or null when its record was garbage (quarantined). */
  async taken(idRaw: unknown, rec: unknown, meta: unknown, token: string): Promise<ClaimedTask | null> {
    const id = String(idRaw);
    let task: TaskRecord;
    try {
      task = overlay(decodeTask(new Uint8Array((rec as Uint8Array) ?? [])), JSON.parse(String(meta)));
    } catch (e) {
      if (!(e instanceof TaskDecodeError)) throw e;
      await this.run("mfQuarantine", [id, token, e.message]);
      this.opts.onQuarantine?.(this.refOf(id), e.message, `${this.keys.quar} ${id}`);
      return null;
    }
    this.hold(token, id);
    return { id, task, token, ref: this.refOf(id), leaseUntil: Date.now() + this.leaseMs };
  }

  private hold(token: string, id: string) {
    this.held.set(token, id);
    if (this.renewTimer) return;
    this.renewTimer = unrefTimer(setInterval(() => void this.renewAll(), Math.max(50, Math.floor(this.leaseMs / 3))));
  }

  release(token: string) {
    this.held.delete(token);
    if (this.held.size === 0 && this.renewTimer) { clearInterval(this.renewTimer); this.renewTimer = undefined; }
  }

  /** Keeps every held claim's lease fresh (a claim found lost is left to its settle call to report). */
  private async renewAll(): Promise<void> {
    await Promise.all([...this.held].map(([token, id]) => this.run("mfRenew", [id, token, this.leaseMs]).catch(() => 0)));
  }

  async renew(claimed: ClaimedTask, ms = this.leaseMs): Promise<void> {
    const r = Number(await this.run("mfRenew", [claimed.id, claimed.token, ms]));
    if (r !== 1) { this.release(claimed.token); throw notHeld(claimed); }
    claimed.leaseUntil = Date.now() + ms;
  }

  private async settle(claimed: ClaimedTask, name: ScriptName, args: (string | number)[]): Promise<void> {
    this.batch?.ran(claimed);
    const r = Number(await this.run(name, [claimed.id, claimed.token, ...args]));
    this.release(claimed.token);
    if (r !== 1) throw notHeld(claimed);
  }

  async complete(claimed: ClaimedTask): Promise<void> {
    if (this.batch && this.held.has(claimed.token)) return this.batch.completed(claimed);
    await this.settle(claimed, "mfComplete", []);
  }

  async retry(claimed: ClaimedTask, opts: RetryOptions): Promise<void> {
    const error = opts.error === undefined ? "\0" : oneLine(opts.error);
    await this.settle(claimed, "mfRetry", [Date.now(), Math.max(0, opts.delayMs), error, opts.countAttempt === false ? 0 : 1]);
  }

  async fail(claimed: ClaimedTask, error: string): Promise<void> {
    await this.settle(claimed, "mfFail", [Date.now(), oneLine(error)]);
  }

  /**
   * Re-queues (attempt counted) tasks claimed in this instance by a pid that
   * `isAlive` says is dead, then every task whose lease expired, wherever
   * its claimer was.
   */
  async recover(isAlive: (pid: number) => boolean): Promise<RecoverResult> {
    const out: RecoverResult = { requeued: [], failed: [] };
    const ids = await this.client.run(OTHER_BOUND_MS, (r) => r.zrange(this.keys.running, "0", "-1"));
    const metas = ids.length ? await this.client.run(OTHER_BOUND_MS, (r) => r.hmget(this.keys.meta, ...ids)) : [];
    const now = Date.now();
    for (let i = 0; i < ids.length; i++) {
      const m = metas[i] ? JSON.parse(metas[i]!) : null;
      const owner = String(m?.o ?? "");
      const slash = owner.lastIndexOf("/");
      const pid = Number(owner.slice(slash + 1));
      if (!m || owner.slice(0, slash) !== this.instance || owner === this.owner || pid === process.pid || isAlive(pid)) continue;
      const r = Number(await this.run("mfRecoverOne", [ids[i], m.t, now, "process died while running the task"]));
      if (r === 1) out.requeued.push(ids[i]);
      else if (r === 2) out.failed.push(ids[i]);
    }
    const reaped = await this.run("mfReap", [now, 1000]);
    for (let i = 0; i < reaped.length; i += 2) (reaped[i + 1] === 1 ? out.requeued : out.failed).push(String(reaped[i]));
    return out;
  }

  async nextDueAt(): Promise<number | null> {
    return this.nextLook(false);
  }

  /** The next due time, or with `leases` also the first lease to expire (when a claim would re-queue it). */
  private async nextLook(leases: boolean): Promise<number | null> {
    const r = await this.run("mfNextDue", [Date.now(), leases ? 1 : 0]);
    return r === null ? null : Number(r);
  }

  /** A relayed wake: the marker on the wake list already ends a blocked wait; this ends one that is not blocked yet. */
  /** A relayed wake: the marker on the wake list already ends a blocked wait; this ends one that is not blocked yet. */
  notify(_wake: string): void {
    this.waiter.interrupt();
  }

  interrupt(): void {
    this.waiter.interrupt();
  }

  waitForWork(maxMs: number): Promise<void> {
    return this.closed ? Promise.resolve() : this.waiter.wait(maxMs);
  }

  async close(): Promise<void> {
    await this.batch?.giveBack();
    this.closed = true;
    if (this.renewTimer) clearInterval(this.renewTimer);
    await this.waiter.close();
    await this.client.close();
  }
}

function notHeld(c: ClaimedTask): SpoolError {
  return new SpoolError(`task ${c.id} is no longer held by this claim: ${c.ref} (its lease expired and it was recovered, or it is gone)`);
}
