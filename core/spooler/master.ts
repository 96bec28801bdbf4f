// The master side of the spooler: wakes a directory's spooler processes when
// a task was written there, relays set_spooler_frequency, and reports
// spoolers[] (dir, pids, tasks done, pending, failed, running).
import type { Config } from "../config.ts";
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import type { MasterApi, MasterEngine, Proc, Slot } from "../master/types.ts";
import { FileSpoolStore } from "./file-store.ts";
import { addInto, histogramDoc, newHistogram } from "../runtime/histogram.ts";

export class SpoolerEngine implements MasterEngine {
  name = "spooler";
  private api!: MasterApi;
  private channels = new Map<Proc, Channel>();
  private counts = new Map<string, { at: number; pending: number; failed: number; quarantined: number }>();
  private stores = new Map<string, FileSpoolStore>();

  constructor(private config: Config) {}

  start(api: MasterApi) {
    this.api = api;
    for (const d of this.config.spoolers) {
      this.stores.set(d, new FileSpoolStore(d, { onQuarantine: (file, reason, to) => api.log(`spooler: quarantined ${file}: ${reason} (moved to ${to})`) }));
    }
    this.refreshCounts();
  }

  attach(_slot: Slot, proc: Proc, channel: Channel) {
    this.channels.set(proc, channel);
    channel.on(Kind.SpoolWake, (body) => this.wake(new TextDecoder().decode(body)));
  }

  detach(_slot: Slot, proc: Proc) {
    this.channels.delete(proc);
  }

  private wake(dir: string) {
    for (const s of this.api.slotsOf("spooler")) {
      if (s.meta.dir !== dir || !s.current) continue;
      this.channels.get(s.current)?.send(Kind.SpoolWake);
    }
  }

  requests = {
    "spooler.frequency": (_s: Slot, a: { seconds: number }) => {
      for (const s of this.api.slotsOf("spooler")) if (s.current) void this.channels.get(s.current)?.request("spooler.frequency", a).catch(() => {});
      return true;
    },
  };

  /** Directory counts, refreshed in the background (a listing of thousands of files is not free). */
  private refreshCounts() {
    const now = Date.now();
    for (const [dir, store] of this.stores) {
      const c = this.counts.get(dir);
      if (c && now - c.at < 1000) continue;
      this.counts.set(dir, { at: now, pending: c?.pending ?? 0, failed: c?.failed ?? 0, quarantined: c?.quarantined ?? 0 });
      store.list({ limit: 0 }).then((l) => {
        this.counts.set(dir, { at: Date.now(), pending: l.pending.count, failed: l.failed.count, quarantined: l.quarantined.count });
      }).catch(() => {});
    }
  }

  stats(doc: Record<string, any>) {
    this.refreshCounts();
    doc.spoolers = this.config.spoolers.map((dir) => {
      const procs = this.api.slotsOf("spooler").filter((s) => s.meta.dir === dir);
      const c = this.counts.get(dir);
      return {
        dir,
        pid: procs[0]?.current?.pid ?? 0,
        pids: procs.map((s) => s.current?.pid ?? 0),
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
