/**
 * The claim loop of a spooler process: claim the next due task from the
 * store, run it, settle it (complete, retry with back-off, or fail), and
 * when nothing is due wait for a wake, the earliest due time, or the idle
 * safety net (--spooler-frequency). One task at a time per process.
 *
 * The process around it (roles/spooler.ts) wires the store to the master's
 * wakes and decides when to stop, recycle or park (`shouldStop`/`idle`).
 *
 * @example
 * const w = new SpoolWorker(store, { address, frequencyMs: 30_000 });
 * await w.run();           // until w.stop()
 */
import { oneLine } from "../errors.ts";
import { log } from "../log.ts";
import { ctx } from "../runtime/context.ts";
import { bump, observe, setStat } from "../runtime/stats-push.ts";
import { armHarakiri, clearHarakiri } from "../harakiri/child.ts";
import type { ClaimedTask, SpoolStore } from "./store.ts";
import { type Outcome, runTask } from "./run.ts";

export interface WorkerOptions {
  /** The store's address as configured (shown to tasks as `meta.dir`). */
  address: string;
  /** Idle safety net: longest wait with nothing known to be due, ms. */
  frequencyMs: number;
  /** Asked before each claim: a reason to leave the loop (e.g. --spooler-max-tasks), or null. */
  shouldStop?: (done: number) => string | null;
  /**
   * Asked when nothing is due (--spooler-cheap): returns how long at most to
   * wait before asking again, or "leave" to end the loop now.
   */
  idle?: (done: number) => Promise<number | "leave"> | number | "leave";
}

export class SpoolWorker {
  done = 0;
  private stopping = false;
  private current: Promise<void> | null = null;

  constructor(private store: SpoolStore, private opts: WorkerOptions) {}

  /** A new idle safety net (set_spooler_frequency); takes effect now. */
  setFrequency(ms: number): void {
    this.opts.frequencyMs = ms;
    this.store.interrupt();
  }

  /** Ends the loop after the task in hand; resolves when that task is settled. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.store.interrupt();
    await this.current;
  }

  /** Runs until stopped; returns why it ended ("stopped", a shouldStop reason, or "idle"). */
  async run(): Promise<string> {
    while (!this.stopping) {
      const why = this.opts.shouldStop?.(this.done);
      if (why) return why;
      let c: ClaimedTask | null = null;
      try {
        c = await this.store.claim();
      } catch (e) {
        log(`spooler: cannot claim from ${this.opts.address}: ${oneLine(e)}`);
      }
      if (!c) {
        let wait = this.opts.frequencyMs;
        if (this.opts.idle) {
          const v = await this.opts.idle(this.done);
          if (v === "leave") return "idle";
          wait = Math.min(wait, v);
        }
        await this.store.waitForWork(wait);
        continue;
      }
      setStat("running", 1);
      this.current = this.settle(c).catch((e) => log(`spooler: task ${c!.id} could not be settled: ${oneLine(e)}`));
      await this.current;
      this.current = null;
      setStat("running", 0);
      this.done++;
    }
    return "stopped";
  }

  /** Runs a claimed task and tells the store how it ended. */
  private async settle(c: ClaimedTask): Promise<void> {
    const o = await this.execute(c);
    await applyOutcome(this.store, c, o);
    if (o.kind === "fail") log(`spool task ${c.id} (${c.task.name}) failed for good: ${o.error}`);
  }

  private async execute(c: ClaimedTask): Promise<Outcome> {
    const t = c.task;
    const cfg = ctx.config;
    armHarakiri(cfg?.spoolerHarakiri, `spool task ${c.id} ${t.name}`);
    const started = Date.now();
    // Due: accepted, or its `at` / retry time if later. Clocks of processes on one machine agree.
    observe("task_wait_seconds", Math.max(0, started - Math.max(t.enqueuedAt ?? 0, t.at ?? 0)) / 1000);
    const t0 = performance.now();
    // --spooler-chdir: the task runs there (one task at a time per spooler process).
    const back = cfg?.spoolerChdir ? process.cwd() : null;
    if (back) process.chdir(cfg!.spoolerChdir!);
    try {
      return await runTask(t, { id: c.id, attempt: t.attempts + 1, dir: this.opts.address });
    } finally {
      if (back) process.chdir(back);
      clearHarakiri();
      bump("tasks");
      observe("task_seconds", (performance.now() - t0) / 1000);
    }
  }
}

/** Tells the store how a run ended: complete, retry (after its delay) or fail. */
export async function applyOutcome(store: SpoolStore, c: ClaimedTask, o: Outcome): Promise<void> {
  if (o.kind === "complete") await store.complete(c);
  else if (o.kind === "retry") await store.retry(c, { delayMs: o.delayMs, error: o.error, countAttempt: o.countAttempt });
  else await store.fail(c, o.error);
}
