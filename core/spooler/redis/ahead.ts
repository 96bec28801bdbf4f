// Batch mode of the Redis store, in a spooler process running that very
// spool (its claim loop runs one task at a time). Short tasks are claimed a
// few at a time (about AHEAD_BUDGET_MS of work by their recent run times, at
// most AHEAD_MAX; a slow task is claimed alone, so long tasks still spread
// over processes), and completions are told to Redis together with the next
// batch claim (or within FLUSH_MS): one round trip and one fsync for several
// tasks. A task claimed ahead is noted in the spool's pf set until it has
// run MARK_AFTER_MS (then one plain SREM, not awaited): a claimer that dies
// before puts it back uncounted, and it is handed back at shutdown. A
// completion not yet told when the process dies makes that task run again.
import { log } from "../../log.ts";
import { randomHex } from "../../base/random.ts";
import { unrefTimer } from "../../base/timers.ts";
import type { ClaimedTask } from "../store.ts";
import type { ScriptName } from "./scripts.ts";

const AHEAD_BUDGET_MS = 2;
const AHEAD_MAX = 16;
/** A completion waits at most this long for the next claim to carry it, ms. */
const FLUSH_MS = 2;
/** A task claimed ahead is marked started once it has run this long, ms. */
const MARK_AFTER_MS = 1;

/** What batch mode needs of its store. */
export interface AheadHost {
  readonly owner: string;
  readonly leaseMs: number;
  readonly shown: string;
  run(name: ScriptName, args: (string | number)[], opts?: { buffers?: boolean }): Promise<any>;
  /** A held task from a script's reply, or null when its record was garbage (quarantined). */
  taken(id: unknown, rec: unknown, meta: unknown, token: string): Promise<ClaimedTask | null>;
  release(token: string): void;
  /** Sends the start mark of a task claimed ahead. */
  markStarted(c: ClaimedTask): Promise<unknown>;
}

export class ClaimAhead {
  /** Claimed ahead, handed out by claim() in order. */
  readonly ahead: ClaimedTask[] = [];
  /** Completed here, not yet told to Redis. */
  readonly done: ClaimedTask[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> | null = null;
  /** Mean run time of recent tasks, ms: sizes how many are claimed at once. */
  private meanMs = Infinity;
  private startedAt = 0;
  private markTimer: ReturnType<typeof setTimeout> | undefined;
  private marking: ClaimedTask | null = null;

  constructor(private host: AheadHost) {}

  /** How many tasks to claim at once now (1 until run times are known). */
  count(): number {
    if (!(this.meanMs < AHEAD_BUDGET_MS)) return 1;
    return Math.max(1, Math.min(AHEAD_MAX, Math.floor(AHEAD_BUDGET_MS / Math.max(this.meanMs, 0.01))));
  }

  /** `c` is handed out to run now; `ahead`: it was claimed ahead (its start is to be marked). */
  started(c: ClaimedTask, ahead: boolean): void {
    this.startedAt = performance.now();
    if (!ahead) return;
    // Another one handed out and not settled yet (not the claim loop's way): it started, mark it now.
    if (this.markTimer && this.marking) { clearTimeout(this.markTimer); void this.host.markStarted(this.marking); }
    this.marking = c;
    this.markTimer = unrefTimer(setTimeout(() => { this.markTimer = undefined; this.marking = null; void this.host.markStarted(c); }, MARK_AFTER_MS));
  }

  /** The run of `c` ended: no start mark for it any more; its run time joins the mean. */
  ran(c: ClaimedTask): void {
    if (this.marking?.token === c.token) {
      clearTimeout(this.markTimer);
      this.markTimer = undefined;
      this.marking = null;
    }
    if (!this.startedAt) return;
    const ms = performance.now() - this.startedAt;
    this.startedAt = 0;
    this.meanMs = this.meanMs === Infinity ? ms : this.meanMs * 0.8 + ms * 0.2;
  }

  /** A completion, told with the next batch claim or within FLUSH_MS. */
  completed(c: ClaimedTask): void {
    this.ran(c);
    this.done.push(c);
    this.flushTimer ??= setTimeout(() => void this.flush(0).catch(() => {}), FLUSH_MS);
  }

  /**
   * Tells Redis the pending completions and claims up to `k` tasks ahead in
   * the same script. Lost claims (their lease lapsed; they ran elsewhere) are
   * logged, not thrown: complete() already resolved.
   */
  flush(k: number): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush(k));
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const told = this.done.splice(0);
    if (!told.length && k === 0) return Promise.resolve();
    const h = this.host;
    const token = randomHex(12);
    const args: (string | number)[] = [told.length];
    for (const c of told) args.push(c.id, c.token);
    args.push(token, h.owner, h.leaseMs, Date.now(), k);
    this.flushing = (async () => {
      try {
        const r = await h.run("mfCompleteMany", args, { buffers: true });
        for (const c of told) h.release(c.token);
        if (Number(r[0]) > 0) log(`spooler: ${r[0]} completed task(s) of ${h.shown} had lost their claim (lease lapsed): they ran elsewhere too`);
        for (let i = 1; i + 2 < r.length; i += 3) {
          const c = await h.taken(r[i], r[i + 1], r[i + 2], `${token}:${(i + 2) / 3}`);
          if (c) this.ahead.push(c);
        }
      } catch (e) {
        this.done.unshift(...told); // told again with the next flush (complete_many skips what is gone)
        throw e;
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  /** Tells pending completions, then puts tasks claimed ahead back in their place, uncounted (shutdown, close). */
  async giveBack(): Promise<void> {
    await this.flush(0).catch(() => {});
    const back = this.ahead.splice(0);
    for (const c of back) this.host.release(c.token);
    await Promise.all(back.map((c) => this.host.run("mfRecoverOne", [c.id, c.token, Date.now(), "handed back unstarted"]).catch(() => {})));
  }
}
