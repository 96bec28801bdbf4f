// A spooler process: claims due tasks from its directory one at a time and
// runs them. New tasks wake it through the master (a SpoolWake frame) within
// milliseconds; a future `at` task wakes it by timer; --spooler-frequency is
// only the idle safety net (tasks written by something that can't wake us).
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import { oneLine } from "../errors.ts";
import { log } from "../log.ts";
import { childRequests, ctx, shutdownHooks } from "../runtime/context.ts";
import { runPostfork } from "../child/lifecycle.ts";
import { setStat, bump, observe } from "../runtime/stats-push.ts";
import { recycleOverRss } from "../runtime/recycle.ts";
import { armHarakiri, clearHarakiri } from "../harakiri/child.ts";
import { storeFor } from "../spooler/enqueue.ts";
import { pidIsAlive } from "../base/process.ts";
import type { ClaimedTask } from "../spooler/backend.ts";
import type { FileSpoolStore } from "../spooler/file-store.ts";
import { BATCH, type BatchArgs, finishedOf, forgetProgress, markFinished } from "../spooler/batch.ts";
import { type Outcome, runTask, taskPlugins } from "../spooler/run.ts";
import { loadPlugins } from "../../plugins/host.ts";
import { childHost } from "../child/plugin-host.ts";
import type { TaskRecord } from "../spooler/task.ts";

/** A higher-priority task written during a small backlog waits about this long (plus the task in hand) to be seen. */
const WAKE_RESCAN_MS = 5;

/** --spooler-cheap: how long a spooler process with nothing due stays before it parks (bursts a little apart reuse it). */
const CHEAP_IDLE_MS = 2000;

export async function runSpooler(channel: Channel): Promise<void> {
  recycleOverRss(ctx.config!.spoolerReloadOnRss, "spooler-reload-on-rss");
  const cfg = ctx.config!;
  const dir = ctx.meta.dir as string;
  const store = storeFor(dir);
  let frequencyMs = cfg.spoolerFrequency * 1000;
  let stopping = false;
  let wake: (() => void) | null = null;
  let woken = false;
  const wakeUp = () => { woken = true; wake?.(); };

  const rec = await store.recover((pid) => pid !== process.pid && pidIsAlive(pid));
  if (rec.requeued.length || rec.failed.length) log(`recovered tasks of dead spoolers: ${rec.requeued.length} queued again, ${rec.failed.length} out of retries moved to failed/`);
  channel.on(Kind.SpoolWake, wakeUp);
  childRequests.set("spooler.frequency", (a: { seconds: number }) => { frequencyMs = a.seconds * 1000; wakeUp(); return true; });
  let current: Promise<void> | null = null;
  shutdownHooks.push(async () => {
    stopping = true;
    wakeUp();
    await current; // finish the task in hand (the master's mercy bounds this)
  });
  for (const p of await loadPlugins(cfg, ["onTask"], childHost())) taskPlugins.set(p.manifest.name, (args) => p.call("onTask", args));
  await runPostfork();
  channel.send(Kind.Ready);

  let done = 0;
  const max = cfg.spoolerMaxTasks ?? 0;
  const signals = () => Number(ctx.counters.signals ?? 0);
  // --spooler-signal-as-task: handled signals count toward --spooler-max-tasks too.
  const signalsAtStart = signals();
  const finished = () => done + (cfg.spoolerSignalAsTask ? signals() - signalsAtStart : 0);
  // --spooler-cheap: when this process last finished a task or ran a signal handler.
  let work = done + signals(), lastWork = Date.now();
  while (!stopping) {
    if (max && finished() >= max) {
      log(`maximum number of tasks reached (${max}): recycling this spooler`);
      channel.flush();
      setTimeout(() => process.exit(0), 10);
      return;
    }
    let c: ClaimedTask | null = null;
    try {
      // A wake means "new files". Producers awaiting each spool() wake us per
      // task, and a scan per task would stall a large backlog: the store
      // rescans only now and then (the wake stays noted until it does). New
      // tasks sort behind the backlog of their level anyway, and an index
      // with nothing due is rescanned by claim() itself, so an idle spooler
      // still starts a new task at once.
      if (woken && store.rescanAfterWake(WAKE_RESCAN_MS)) woken = false;
      c = await store.claim();
    } catch (e) {
      log(`spooler: cannot claim from ${dir}: ${oneLine(e)}`);
    }
    if (!c) {
      const due = await store.nextDueAt().catch(() => null);
      let wait = due === null ? frequencyMs : Math.max(0, Math.min(frequencyMs, due - Date.now()));
      if (cfg.spoolerCheap) {
        // --spooler-cheap: idle long enough, and nothing due soon: hand over to the master and go.
        // Signal handlers count as work: a spooler that a timer keeps busy stays.
        if (done + signals() !== work) { work = done + signals(); lastWork = Date.now(); }
        const idle = Date.now() - lastWork;
        if (idle >= CHEAP_IDLE_MS && (due === null || due - Date.now() > CHEAP_IDLE_MS) && !woken) {
          await channel.request("spooler.park");
          process.exit(0);
        }
        wait = Math.min(wait, Math.max(1, CHEAP_IDLE_MS - idle));
      }
      if (max && cfg.spoolerSignalAsTask) wait = Math.min(wait, 1000); // signals do not wake this loop: look again soon
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        wake = () => { clearTimeout(t); wake = null; resolve(); };
      });
      wake = null;
      continue;
    }
    setStat("running", 1);
    current = (c.task.name === BATCH ? runBatch(store, dir, c) : runOne(store, dir, c)).catch((e) => log(`spooler: task ${c!.id} could not be settled: ${oneLine(e)}`));
    await current;
    current = null;
    setStat("running", 0);
    done++;
  }
}

async function execute(t: TaskRecord, id: string, dir: string): Promise<Outcome> {
  armHarakiri(ctx.config!.spoolerHarakiri, `spool task ${id} ${t.name}`);
  const started = Date.now();
  // Due: accepted, or its `at` / retry time if later. Clocks of processes on one machine agree.
  observe("task_wait_seconds", Math.max(0, started - Math.max(t.enqueuedAt ?? 0, t.at ?? 0)) / 1000);
  const t0 = performance.now();
  // --spooler-chdir: the task runs there (one task at a time per spooler process).
  const back = ctx.config!.spoolerChdir ? process.cwd() : null;
  if (back) process.chdir(ctx.config!.spoolerChdir!);
  try {
    return await runTask(t, { id, attempt: t.attempts + 1, dir });
  } finally {
    if (back) process.chdir(back);
    clearHarakiri();
    bump("tasks");
    observe("task_seconds", (performance.now() - t0) / 1000);
  }
}

async function runOne(store: FileSpoolStore, dir: string, c: ClaimedTask) {
  const o = await execute(c.task, c.id, dir);
  if (o.kind === "complete") await store.complete(c);
  else if (o.kind === "retry") await store.retry(c, { delayMs: o.delayMs, error: o.error, countAttempt: o.countAttempt });
  else {
    await store.fail(c, o.error);
    log(`spool task ${c.id} (${c.task.name}) failed for good: ${o.error}`);
  }
}

/** Runs a batch's tasks in order; an interrupted batch is split into its unfinished tasks. */
async function runBatch(store: FileSpoolStore, dir: string, c: ClaimedTask) {
  const tasks = (c.task.args as BatchArgs).tasks;
  const finished = finishedOf(dir, c.id);
  if (c.task.attempts > 0) {
    // A process died in this batch: the first unfinished task was running. Each
    // unfinished task goes back on its own, so a crasher can't take its siblings down.
    const rest = tasks.map((t, i) => ({ t, i })).filter(({ i }) => !finished.has(i));
    const split = rest.map(({ t }, k) => (k === 0 ? { ...t, attempts: (t.attempts ?? 0) + 1, lastError: "process died while running the task" } : t));
    if (split.length) await store.enqueueMany(split);
    await store.complete(c);
    forgetProgress(dir, c.id);
    log(`batch ${c.id} was interrupted: ${split.length} unfinished task(s) queued again one by one`);
    return;
  }
  for (let i = 0; i < tasks.length; i++) {
    if (finished.has(i)) continue;
    const t = tasks[i];
    const rec: TaskRecord = { v: 1, name: t.name, args: t.args ?? null, body: t.body, at: t.at, priority: t.priority, retries: t.retries, backoff: t.backoff, attempts: t.attempts ?? 0, enqueuedAt: c.task.enqueuedAt, trace: t.trace };
    const o = await execute(rec, `${c.id}:${i}`, dir);
    if (o.kind === "retry") {
      await store.enqueue({ ...t, attempts: rec.attempts + (o.countAttempt ? 1 : 0), lastError: o.error, at: Date.now() + o.delayMs });
    } else if (o.kind === "fail") {
      await store.failNew({ ...t, attempts: rec.attempts + 1 }, o.error);
      log(`spool task ${c.id}:${i} (${t.name}) failed for good: ${o.error}`);
    }
    markFinished(dir, c.id, i);
  }
  await store.complete(c);
  forgetProgress(dir, c.id);
}
