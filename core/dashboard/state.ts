// What the page's tables show, built from one stats document: the process
// table, signals, timers and crons (next run, last run, skips), caches,
// locks, queues and spoolers. Sent with every tick of the event stream.
import { type ProcRow, processRows } from "./processes.ts";

type Doc = Record<string, any>;

export interface PageState {
  now: number;
  instance: { version: string; runtime: string; pid: number; started_on: number; cwd: string };
  processes: ProcRow[];
  queues: Array<{ name: string; depth: number; parked?: number }>;
  signals: Doc[];
  timers: Doc[];
  crons: Doc[];
  caches: Doc[];
  locks: Array<{ name: string; held: number }>;
  spoolers: Array<{ dir: string; tasks: number; pending: number; running: number; failed: number; quarantined: number; respawns: number }>;
  rpc: Doc | null;
  /** Poison messages and signals kept aside now (null where the instance does not report them). */
  parked: number | null;
}

/**
 * A cron's last run is when its run count last went up, as seen by this
 * watcher (the stats document has the count and the next run); a timer's
 * is one interval before its next tick.
 */
export class CronLastRuns {
  private seen = new Map<string, { fired: number; at: number | null }>();

  lastOf(c: Doc, now: number): number | null {
    const key = `${c.schedule}|${c.signal ?? c.command}`;
    const was = this.seen.get(key);
    const at = c.last ? Date.parse(c.last) : was && c.fired > was.fired ? now : (was?.at ?? null);
    this.seen.set(key, { fired: c.fired, at });
    return at;
  }
}

export function pageState(doc: Doc, memKb: (pid: number) => { rss: number; pss: number | null }, crons: CronLastRuns, now = Date.now()): PageState {
  // `parked`: poison messages set aside (mulefarm mule parked), where the instance reports them.
  const queues: PageState["queues"] = (doc.mules ?? []).filter((m: Doc) => !m.sandboxed).map((m: Doc) => ({ name: `mule ${m.id}`, depth: Number(m.queue ?? 0), ...(m.parked !== undefined ? { parked: Number(m.parked) } : {}) }));
  for (const f of doc.farms ?? []) queues.push({ name: `farm ${f.name}`, depth: Number(f.queue ?? 0) });
  if (doc.mule_shared_queue !== undefined) queues.push({ name: "shared queue", depth: Number(doc.mule_shared_queue) });
  return {
    now,
    instance: { version: doc.version, runtime: doc.runtime, pid: doc.pid, started_on: doc.started_on, cwd: doc.cwd },
    processes: processRows(doc, memKb),
    queues,
    signals: doc.signals ?? [],
    timers: (doc.timers ?? []).map((t: Doc) => ({ ...t, last: t.fired > 0 && t.next ? new Date(Date.parse(t.next) - t.interval_s * 1000).toISOString() : null })),
    crons: (doc.crons ?? []).map((c: Doc) => {
      const last = crons.lastOf(c, now);
      return { signal: c.signal, command: c.command, schedule: c.schedule, overlap: c.overlap, fired: c.fired, skipped: c.skipped, running: c.running, next: c.next, last: last === null ? null : new Date(last).toISOString() };
    }),
    caches: (doc.caches ?? []).map((c: Doc) => ({ name: c.name, items: c.items, max_items: c.max_items, hits: c.hits, miss: c.miss, full: c.full, evicted: c.evicted })),
    // uWSGI's form: one object per lock, {name: pid holding it or 0}.
    locks: (doc.locks ?? []).flatMap((l: Doc) => Object.entries(l).map(([name, held]) => ({ name, held: Number(held) || 0 }))),
    spoolers: (doc.spoolers ?? []).map((s: Doc) => ({ dir: s.dir, tasks: s.tasks, pending: s.pending, running: s.running, failed: s.failed, quarantined: s.quarantined, respawns: s.respawns })),
    rpc: doc.rpc ?? null,
    parked: doc.mule_parked === undefined && doc.signal_parked === undefined ? null : Number(doc.mule_parked ?? 0) + Number(doc.signal_parked ?? 0),
  };
}
