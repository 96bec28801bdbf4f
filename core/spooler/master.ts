// The master side of the spooler: wakes a directory's spooler processes when
// a task was written there, relays set_spooler_frequency, and reports
// spoolers[] (dir, pids, tasks done, pending, failed, running).
//
// --spooler-cheap (uWSGI 2.1): an idle spooler process parks (request
// "spooler.park", then it exits) and is started again when a task is written
// (its wake), when the directory's next task falls due, or when the periodic
// look (--spooler-frequency) finds one due that came another way (the CLI, a copy).
import type { Config } from "../config.ts";
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import type { MasterApi, MasterEngine, Proc, Slot } from "../engine.ts";
import type { SpoolStore } from "./store.ts";
import { openStore } from "./open.ts";
import { decodeWake, encodeNote } from "./wake.ts";
import { addInto, histogramDoc, newHistogram } from "../base/histogram.ts";

export class SpoolerEngine implements MasterEngine {
  name = "spooler";
  private api!: MasterApi;
  private channels = new Map<Proc, Channel>();
  private counts = new Map<string, { at: number; pending: number; failed: number; quarantined: number }>();
  private syncOf = new Map<string, string>();
  private stores = new Map<string, Promise<SpoolStore>>();
  /** Parked slots to start again once their exiting process is gone (a wake came while it parked). */
  private restartAfterExit = new Set<Slot>();
  private dueTimers = new Map<Slot, ReturnType<typeof setTimeout>>();
  private lookTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private config: Config) {}

  start(api: MasterApi) {
    this.api = api;
    for (const d of this.config.spoolers) {
      const s = openStore(d, { sync: this.config.spoolerSync, onQuarantine: (file, reason, to) => api.log(`spooler: quarantined ${file}: ${reason} (moved to ${to})`) });
      s.catch((e) => api.log(`spooler: cannot open ${d}: ${e?.message ?? e}`));
      this.stores.set(d, s);
    }
    this.refreshCounts();
    if (this.config.spoolerCheap) {
      this.lookTimer = setInterval(() => { for (const d of this.config.spoolers) this.startIfDue(d); }, this.config.spoolerFrequency * 1000);
      (this.lookTimer as any).unref?.();
    }
  }

  attach(_slot: Slot, proc: Proc, channel: Channel) {
    this.channels.set(proc, channel);
    channel.on(Kind.SpoolWake, (body) => { const w = decodeWake(body); this.wake(w.address, w.note); });
  }

  detach(slot: Slot, proc: Proc) {
    this.channels.delete(proc);
    // After the supervisor has seen the exit (it runs this first), so the slot is free to start.
    if (this.restartAfterExit.delete(slot)) setTimeout(() => this.api.spawn(slot), 0);
  }

  /** Relays a producer's wake note to the address's spooler processes (or starts parked ones). */
  private wake(address: string, note: string) {
    let body: Uint8Array | undefined;
    for (const s of this.api.slotsOf("spooler")) {
      if (s.meta.dir !== address) continue;
      if (s.parked) this.unpark(s);
      else if (s.current) this.channels.get(s.current)?.send(Kind.SpoolWake, (body ??= encodeNote(note)));
    }
  }

  /** The earliest due time of the address's pending tasks, fresh from the store (null: none). */
  private async nextDue(address: string): Promise<number | null> {
    const store = this.stores.get(address);
    return store ? (await store).nextDueAt() : null;
  }

  /** A process said it is idle and exits. A task written before this look is seen by it; one written after sends a wake. */
  private park(slot: Slot) {
    slot.parked = true;
    void this.nextDue(slot.meta.dir as string).then((due) => {
      if (due === null) return;
      if (due <= Date.now()) this.unpark(slot);
      else this.startAt(slot, due);
    });
  }

  private unpark(slot: Slot) {
    clearTimeout(this.dueTimers.get(slot));
    this.dueTimers.delete(slot);
    if (slot.current) this.restartAfterExit.add(slot); // still exiting
    else this.api.spawn(slot);
  }

  private startAt(slot: Slot, at: number) {
    clearTimeout(this.dueTimers.get(slot));
    const t = setTimeout(() => { this.dueTimers.delete(slot); if (slot.parked) this.unpark(slot); }, Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1));
    (t as any).unref?.();
    this.dueTimers.set(slot, t);
  }

  /** The periodic look: tasks that came without a wake (`mulefarm spool retry`, files copied in). */
  private startIfDue(dir: string) {
    const parked = this.api.slotsOf("spooler").filter((s) => s.meta.dir === dir && s.parked);
    if (!parked.length) return;
    void this.nextDue(dir).then((due) => { if (due !== null && due <= Date.now()) for (const s of parked) this.unpark(s); });
  }

  requests = {
    // Answered before the process exits, so the master knows the exit is a park, not a death.
    "spooler.park": (slot: Slot) => { this.park(slot); return true; },
    "spooler.frequency": (_s: Slot, a: { seconds: number }) => {
      for (const s of this.api.slotsOf("spooler")) if (s.current) void this.channels.get(s.current)?.request("spooler.frequency", a).catch(() => {});
      return true;
    },
  };

  /** Task counts, refreshed in the background at most once a second (counting 100,000 tasks is not free). */
  private refreshCounts() {
    const now = Date.now();
    for (const [dir, store] of this.stores) {
      const c = this.counts.get(dir);
      if (c && now - c.at < 1000) continue;
      this.counts.set(dir, { at: now, pending: c?.pending ?? 0, failed: c?.failed ?? 0, quarantined: c?.quarantined ?? 0 });
      store.then((s) => { this.syncOf.set(dir, s.sync); return s.counts(); }).then((n) => {
        this.counts.set(dir, { at: Date.now(), pending: n.pending, failed: n.failed, quarantined: n.quarantined });
      }).catch(() => {});
    }
  }

  stop() {
    clearInterval(this.lookTimer);
    for (const t of this.dueTimers.values()) clearTimeout(t);
    for (const s of this.stores.values()) s.then((x) => x.close()).catch(() => {});
  }

  stats(doc: Record<string, any>) {
    this.refreshCounts();
    doc.spoolers = this.config.spoolers.map((dir) => {
      const procs = this.api.slotsOf("spooler").filter((s) => s.meta.dir === dir);
      const c = this.counts.get(dir);
      return {
        dir,
        sync: this.syncOf.get(dir) ?? this.config.spoolerSync,
        pid: procs[0]?.current?.pid ?? 0,
        pids: procs.map((s) => s.current?.pid ?? 0),
        statuses: procs.map((s) => s.status),
        tasks: procs.reduce((a, s) => a + Number(s.stats.tasks ?? 0), 0),
        running: procs.reduce((a, s) => a + Number(s.stats.running ?? 0), 0),
        respawns: procs.reduce((a, s) => a + s.respawnCount, 0),
        pending: c?.pending ?? 0,
        failed: c?.failed ?? 0,
        quarantined: c?.quarantined ?? 0,
        task_seconds: histogramDoc(procs.reduce((h, s) => addInto(h, s.stats.task_seconds), newHistogram())),
        task_wait_seconds: histogramDoc(procs.reduce((h, s) => addInto(h, s.stats.task_wait_seconds), newHistogram())),
      };
    });
  }
}
