// The stats document: what `mulefarm status`, --stats, the master FIFO's
// report and the `stats` request all show. The master's own fields and the
// per-process lists are built here; each engine adds its part (e.stats).
import { adapter } from "../adapter/index.ts";
import { addInto, histogramDoc, newHistogram } from "../base/histogram.ts";
import { VERSION } from "../version.ts";
import { procMemKb } from "./stats.ts";
import type { MasterApi, MasterEngine, Slot } from "../engine.ts";

export interface StatsSource {
  api: MasterApi;
  engines: MasterEngine[];
  /** Unix seconds the master started. */
  startedOn: number;
}

export function statsDocument({ api, engines, startedOn }: StatsSource): Record<string, unknown> {
  const procInfo = (s: Slot) => {
    const pid = s.current?.pid ?? 0;
    // Cached per pid (1000 light mules share one host process; see procMemKb).
    const mem = pid ? procMemKb(pid) : { rss: 0, pss: null };
    return { id: s.id, pid, status: s.status, respawn_count: s.respawnCount, last_spawn: s.lastSpawn, signals: Number(s.stats.signals ?? 0), rss: mem.rss * 1024, pss: mem.pss === null ? null : mem.pss * 1024 };
  };
  const doc: Record<string, unknown> = {
    version: VERSION,
    runtime: adapter.version,
    pid: process.pid,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    cwd: process.cwd(),
    started_on: startedOn,
    runtime_dir: api.runtimeDir,
    rss: procMemKb(process.pid).rss * 1024,
    workers: api.slotsOf("worker").map((s) => ({
      ...procInfo(s),
      requests: Number(s.stats.requests ?? 0),
      exceptions: Number(s.stats.exceptions ?? 0),
      harakiri_count: Number(s.stats.harakiri_count ?? 0),
      request_seconds: histogramDoc(addInto(newHistogram(), s.stats.request_seconds)),
    })),
    mules: [
      ...api.slotsOf("mule").map((s) => ({ ...procInfo(s), spec: s.meta.spec ?? null, sandboxed: false })),
      ...api.slotsOf("mulehost").flatMap((h) => (h.meta.mules as Array<{ id: number; spec: string }>).map((m) => ({ ...procInfo(h), id: m.id, spec: m.spec, sandboxed: true }))),
    ].sort((a, b) => a.id - b.id),
  };
  for (const e of engines) e.stats?.(doc);
  return doc;
}
