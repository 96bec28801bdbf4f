/**
 * What a spooler process does around each task for task control (issue #19):
 * before a claim, hold while the spooler is paused; after a claim, drop a task
 * that was cancelled while pending, wait for a start slot (--spooler-rate),
 * run it with an AbortSignal that fires when it is cancelled (and arm a kill
 * after the grace period), then keep its result, emit its event and count it
 * in its batch. The claim loop (../worker.ts) calls `hold` and `run`.
 *
 * @example
 * const ctl = new TaskRunner(await controlFor(address), { store, resultTtlMs: 300_000, graceMs: 5000 });
 * const o = await ctl.run(claimed, (signal) => runTask(claimed.task, { ...meta, signal }));
 */
import { TaskCancelled, oneLine } from "../../errors.ts";
import { log } from "../../log.ts";
import { armDeadline } from "../../harakiri/child.ts";
import type { ClaimedTask, SpoolStore, TaskRecord } from "../store.ts";
import type { Outcome } from "../run.ts";
import type { TaskControl, TaskResult } from "./control.ts";
import { BATCH_KEY, finishBatch } from "./batch.ts";
import { setCurrentTask } from "./current.ts";

/** How often a running task's cancel mark is looked for, ms. */
const CANCEL_POLL_MS = 250;
/** While paused, how often the flag is read again, ms. */
export const PAUSE_POLL_MS = 250;
/** A cancel mark outlives any result it could be asked about. */
const CANCEL_TTL_MIN_MS = 24 * 3600_000;

export interface RunnerOptions {
  store: SpoolStore;
  /** How long results are kept, ms; 0: no results and no events. */
  resultTtlMs: number;
  /** How long a cancelled running task has before its process is killed, ms. */
  graceMs: number;
  /** --spooler-rate. */
  rate?: { n: number; windowMs: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TaskRunner {
  private writing: Promise<void> = Promise.resolve();
  constructor(readonly control: TaskControl, private o: RunnerOptions) {}

  /** Ms to wait before the next claim (paused), or 0. */
  async hold(): Promise<number> {
    try {
      return (await this.control.isPaused()) ? PAUSE_POLL_MS : 0;
    } catch (e) {
      log(`spooler: cannot read the pause flag of ${this.control.address}: ${oneLine(e)}`);
      return PAUSE_POLL_MS;
    }
  }

  /** Runs a claimed task through `exec`; the outcome says what the store should do. */
  async run(c: ClaimedTask, exec: (signal: AbortSignal, task: TaskRecord) => Promise<Outcome>): Promise<Outcome> {
    const batchId = batchIdOf(c);
    // The function sees its args without the batch key; the claimed record keeps it (a retry rewrites the record from it).
    const task = batchId ? { ...c.task, args: withoutBatchKey(c.task.args) } : c.task;
    if (await this.control.isCancelled(c.id).catch(() => false)) {
      // Cancelled while pending: cancelTask already kept its result and told listeners.
      const told = (await this.control.getResult(c.id).catch(() => null))?.state === "cancelled";
      await this.ended(c, { state: "cancelled", at: Date.now() }, batchId, told);
      await this.control.clearCancelled(c.id).catch(() => {});
      return { kind: "complete" };
    }
    if (this.o.rate) {
      for (let w; (w = await this.control.takeStart(this.o.rate.n, this.o.rate.windowMs)) > 0;) await sleep(Math.min(w, 1000));
    }
    const abort = new AbortController();
    let polling = false;
    const watch = setInterval(async () => {
      if (polling || abort.signal.aborted) return;
      polling = true;
      try {
        if (await this.control.isCancelled(c.id)) {
          abort.abort(new TaskCancelled(`task ${c.id} was cancelled`));
          // Not ended within the grace period: the master kills this process as for
          // --spooler-harakiri; the task is put back, and dropped at its next claim (marked).
          armDeadline(Date.now() + this.o.graceMs, `cancelled spool task ${c.id} ${c.task.name}`);
        }
      } catch { /* look again next time */ } finally { polling = false; }
    }, CANCEL_POLL_MS);
    setCurrentTask({ control: this.control, id: c.id, name: c.task.name, ttlMs: this.ttlForProgress() });
    let o: Outcome;
    try {
      o = await exec(abort.signal, task);
    } finally {
      clearInterval(watch);
      setCurrentTask(null);
    }
    if (abort.signal.aborted) {
      await this.ended(c, { state: "cancelled", at: Date.now() }, batchId);
      await this.control.clearCancelled(c.id).catch(() => {});
      return { kind: "complete" };
    }
    if (o.kind === "complete") await this.ended(c, { state: "completed", value: o.value, at: Date.now() }, batchId);
    else if (o.kind === "fail") await this.ended(c, { state: "failed", code: o.cause?.code ?? "Error", message: o.cause?.message ?? o.error, at: Date.now() }, batchId);
    return o;
  }

  private ttlForProgress(): number {
    return Math.max(this.o.resultTtlMs, 60_000);
  }

  /**
   * A task ended for good: keep its result and tell listeners (not awaited:
   * those writes overlap the store's settling of the task; the next task's
   * writes wait for them, so at most one task's are in flight), then count it
   * in its batch (awaited: the callback must not be lost).
   */
  private async ended(c: ClaimedTask, r: TaskResult, batchId: string | undefined, told = false): Promise<void> {
    const ttl = this.o.resultTtlMs;
    if (ttl > 0 && !told) {
      const previous = this.writing;
      this.writing = (async () => {
        await previous;
        await Promise.all([
          this.control.putResult(c.id, r, ttl),
          this.control.emit({
            type: r.state, id: c.id, name: c.task.name, at: r.at,
            ...(r.state === "completed" ? { value: r.value } : r.state === "failed" ? { code: r.code, message: r.message } : {}),
          }),
        ]);
      })().catch((e) => log(`spooler: the result of task ${c.id} could not be kept: ${oneLine(e)}`));
    }
    if (batchId) await finishBatch(this.control, this.o.store, batchId, c.id, r.state === "completed");
  }

  /** Resolves when the results written so far are stored (shutdown). */
  flush(): Promise<void> {
    return this.writing;
  }
}

/** A cancel mark's TTL: long enough to outlive the task's stay in the queue and its result. */
export function cancelTtlMs(resultTtlMs: number): number {
  return Math.max(CANCEL_TTL_MIN_MS, resultTtlMs);
}

/** The batch a task belongs to (stored in its args by batch()). */
function batchIdOf(c: ClaimedTask): string | undefined {
  const a = c.task.args;
  return a && typeof a === "object" && BATCH_KEY in a ? String(a[BATCH_KEY]) : undefined;
}

function withoutBatchKey(args: Record<string, unknown>): Record<string, unknown> {
  const { [BATCH_KEY]: _, ...rest } = args;
  return rest;
}
