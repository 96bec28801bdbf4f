// A spooler process: wires its store to the master and runs the claim loop
// (core/spooler/worker.ts). New tasks wake it through the master (a
// SpoolWake frame carrying the producer's wake note) within milliseconds;
// --spooler-frequency is only the idle safety net.
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import { log } from "../log.ts";
import { childRequests, ctx, shutdownHooks } from "../runtime/context.ts";
import { runPostfork } from "../child/lifecycle.ts";
import { recycleOverRss } from "../runtime/recycle.ts";
import { storeFor } from "../spooler/enqueue.ts";
import { pidIsAlive } from "../base/process.ts";
import { taskPlugins } from "../spooler/run.ts";
import { decodeNote } from "../spooler/wake.ts";
import { SpoolWorker } from "../spooler/worker.ts";
import { controlFor } from "../spooler/control/open.ts";
import { TaskRunner } from "../spooler/control/runner.ts";
import { LaneClaimer, parseLaneNote } from "../spooler/control/lanes.ts";
import { loadPlugins } from "../../plugins/host.ts";
import { childHost } from "../child/plugin-host.ts";
import { flushThen } from "../trace/state.ts";

/** --spooler-cheap: how long a spooler process with nothing due stays before it parks (bursts a little apart reuse it). */
const CHEAP_IDLE_MS = 2000;

export async function runSpooler(channel: Channel): Promise<void> {
  recycleOverRss(ctx.config!.spoolerReloadOnRss, "spooler-reload-on-rss");
  const cfg = ctx.config!;
  const address = ctx.meta.dir as string;
  const store = await storeFor(address);
  const rec = await store.recover((pid) => pid !== process.pid && pidIsAlive(pid));
  if (rec.requeued.length || rec.failed.length) log(`recovered tasks of dead spoolers: ${rec.requeued.length} queued again, ${rec.failed.length} out of retries moved to failed/`);
  const lanes = new LaneClaimer(address, store, await controlFor(address), {
    concurrency: cfg.spoolerGroupConcurrency ?? 0,
    open: { sync: cfg.spoolerSync, onQuarantine: (file, reason, to) => log(`spooler: quarantined ${file}: ${reason} (moved to ${to})`) },
  });
  await lanes.recover((pid) => pid !== process.pid && pidIsAlive(pid));
  channel.on(Kind.SpoolWake, (body) => {
    const note = decodeNote(body);
    // A wake for a group's lane: that lane's store learns the names; the loop looks at once.
    const lane = parseLaneNote(note);
    if (lane) { lanes.notifyLane(lane[0], lane[1]); store.interrupt(); } else store.notify(note);
  });

  const max = cfg.spoolerMaxTasks ?? 0;
  const signals = () => Number(ctx.counters.signals ?? 0);
  // --spooler-signal-as-task: handled signals count toward --spooler-max-tasks too.
  const signalsAtStart = signals();
  // --spooler-cheap: when this process last finished a task or ran a signal handler.
  let work = signals(), lastWork = Date.now();
  const control = new TaskRunner(await controlFor(address), {
    store,
    resultTtlMs: (cfg.spoolerResultTtl ?? 300) * 1000,
    graceMs: (cfg.spoolerCancelGrace ?? 5) * 1000,
    rate: cfg.spoolerRate ? { n: cfg.spoolerRate.n, windowMs: cfg.spoolerRate.seconds * 1000 } : undefined,
  });
  const worker = new SpoolWorker(store, {
    address,
    control,
    lanes,
    frequencyMs: cfg.spoolerFrequency * 1000,
    shouldStop: (done) => {
      const finished = done + (cfg.spoolerSignalAsTask ? signals() - signalsAtStart : 0);
      return max && finished >= max ? `maximum number of tasks reached (${max}): recycling this spooler` : null;
    },
    idle: async (done) => {
      let wait = Infinity;
      if (cfg.spoolerCheap) {
        // Idle long enough, and nothing due soon: hand over to the master and go.
        // Signal handlers count as work: a spooler that a timer keeps busy stays.
        if (done + signals() !== work) { work = done + signals(); lastWork = Date.now(); }
        const idle = Date.now() - lastWork;
        const due = await store.nextDueAt().catch(() => null);
        if (idle >= CHEAP_IDLE_MS && (due === null || due - Date.now() > CHEAP_IDLE_MS)) return "leave";
        wait = Math.max(1, CHEAP_IDLE_MS - idle);
      }
      if (max && cfg.spoolerSignalAsTask) wait = Math.min(wait, 1000); // signals do not wake the loop: look again soon
      return wait;
    },
  });
  childRequests.set("spooler.frequency", (a: { seconds: number }) => { worker.setFrequency(a.seconds * 1000); return true; });
  // Finish the task in hand (the master's mercy bounds this), then give back what the store holds.
  shutdownHooks.push(async () => { await worker.stop(); await store.close(); });
  for (const p of await loadPlugins(cfg, ["onTask"], childHost())) taskPlugins.set(p.manifest.name, (args) => p.call("onTask", args));
  await runPostfork();
  channel.send(Kind.Ready);

  const why = await worker.run();
  await control.flush(); // results of the last tasks, before a park or recycle exits
  if (why !== "stopped") await store.close(); // a recycle or a park: give back a group taken but not run
  if (why === "idle") {
    await channel.request("spooler.park");
    return flushThen(() => process.exit(0));
  }
  if (why !== "stopped") {
    log(why);
    channel.flush();
    flushThen(() => setTimeout(() => process.exit(0), 10));
  }
}
