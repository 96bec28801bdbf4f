// The stats document in Prometheus' text format (version 0.0.4), served at
// GET /metrics by the stats server with --stats-http: counters, gauges and
// latency histograms without an exporter beside the instance.
//
// Counters restart from zero when their process is respawned; Prometheus'
// rate() and increase() take such resets in their stride.

import type { HistogramDoc } from "../base/histogram.ts";

type Labels = Record<string, string | number>;
type Doc = Record<string, any>;

const esc = (v: string | number) => String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labelText = (l: Labels) => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
};
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? String(v) : v === true ? "1" : "0");

class Writer {
  private out: string[] = [];
  private seen = new Set<string>();

  /** One sample; the first sample of a metric brings its HELP and TYPE lines. */
  sample(name: string, type: "counter" | "gauge", help: string, labels: Labels, value: unknown) {
    this.head(name, type, help);
    this.out.push(`${name}${labelText(labels)} ${num(value)}`);
  }

  /** A histogram from the stats document's form (histogram.ts). */
  histogram(name: string, help: string, labels: Labels, h: HistogramDoc | undefined) {
    if (!h) return;
    this.head(name, "histogram", help);
    h.le.forEach((le, i) => this.out.push(`${name}_bucket${labelText({ ...labels, le })} ${h.counts[i]}`));
    this.out.push(`${name}_sum${labelText(labels)} ${h.sum}`, `${name}_count${labelText(labels)} ${h.count}`);
  }

  private head(name: string, type: string, help: string) {
    if (this.seen.has(name)) return;
    this.seen.add(name);
    this.out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }

  text(): string {
    return this.out.join("\n") + "\n";
  }
}

/**
 * @example
 * const body = prometheusText(statsDoc()); // "# HELP mulefarm_info ...\n..."
 */
export function prometheusText(doc: Doc): string {
  const w = new Writer();
  const P = "mulefarm_";
  w.sample(`${P}info`, "gauge", "The instance: version and runtime.", { version: doc.version ?? "", runtime: doc.runtime ?? "" }, 1);
  w.sample(`${P}start_time_seconds`, "gauge", "When the master started, unix seconds.", {}, doc.started_on);

  const procs = [
    ...(doc.workers ?? []).map((p: Doc) => ({ role: "worker", p })),
    ...(doc.mules ?? []).filter((p: Doc) => !p.sandboxed).map((p: Doc) => ({ role: "mule", p })),
  ];
  for (const { role, p } of procs) {
    const l = { role, id: p.id };
    w.sample(`${P}process_up`, "gauge", "1 while the process runs (0: dead or starting).", l, p.status !== "dead" && p.status !== "starting" && p.pid > 0);
    w.sample(`${P}process_resident_memory_bytes`, "gauge", "Resident set size.", l, p.rss);
    if (p.pss !== null && p.pss !== undefined) w.sample(`${P}process_proportional_memory_bytes`, "gauge", "Proportional set size (shared pages divided among their sharers).", l, p.pss);
    w.sample(`${P}process_respawns_total`, "counter", "Times the process was started again.", l, p.respawn_count);
    w.sample(`${P}process_signals_total`, "counter", "Signals the process has handled.", l, p.signals);
    w.sample(`${P}process_harakiri_total`, "counter", "Times harakiri killed the process.", l, p.harakiri_count ?? 0);
  }
  for (const p of doc.workers ?? []) {
    const l = { worker: p.id };
    w.sample(`${P}worker_requests_total`, "counter", "HTTP requests a worker has taken.", l, p.requests);
    w.sample(`${P}worker_exceptions_total`, "counter", "Requests whose handler threw (answered 500).", l, p.exceptions);
    w.histogram(`${P}http_request_duration_seconds`, "Time from a request's arrival to its response (headers), per worker.", l, p.request_seconds);
  }
  for (const p of doc.mules ?? []) {
    const l = { mule: p.id };
    w.sample(`${P}mule_messages_received_total`, "counter", "Messages a mule has taken.", l, p.messages_received);
    w.sample(`${P}mule_queue_messages`, "gauge", "Messages waiting for a mule.", l, p.queue);
    w.sample(`${P}mule_parked_total`, "counter", "Poison messages a mule died holding more than --mule-max-redeliveries times: parked.", l, p.parked);
  }
  for (const f of doc.farms ?? []) w.sample(`${P}farm_queue_messages`, "gauge", "Messages waiting for any mule of a farm.", { farm: f.name }, f.queue);
  if (doc.mule_shared_queue !== undefined) w.sample(`${P}mule_shared_queue_messages`, "gauge", "Messages and mulefunc calls waiting for any mule.", {}, doc.mule_shared_queue);
  if (doc.mule_parked !== undefined) w.sample(`${P}mule_parked_messages`, "gauge", "Poison messages kept for mulefarm mule parked|resend.", {}, doc.mule_parked);

  for (const s of doc.signals ?? []) {
    const l = { signal: s.num, target: s.target };
    w.sample(`${P}signals_raised_total`, "counter", "Signals raised, per number.", l, s.raised);
    w.sample(`${P}signals_delivered_total`, "counter", "Signals delivered to a target process.", l, s.delivered);
    w.sample(`${P}signals_refused_total`, "counter", "Raises refused with SignalQueueFull.", l, s.refused);
    w.sample(`${P}signals_in_flight`, "gauge", "Signals delivered and not finished yet.", l, s.in_flight);
    w.sample(`${P}signals_parked_total`, "counter", "Signals left unfinished by more than --signal-max-redeliveries dying processes: parked.", l, s.parked);
  }
  for (const t of doc.timers ?? []) w.sample(`${P}timer_ticks_total`, "counter", "Ticks a timer has raised.", { signal: t.signal, kind: t.kind }, t.fired);
  for (const c of doc.crons ?? []) {
    const l = { schedule: c.schedule, ...(c.signal !== null ? { signal: c.signal } : { command: c.command }) };
    w.sample(`${P}cron_runs_total`, "counter", "Runs a cron schedule started.", l, c.fired);
    w.sample(`${P}cron_skipped_total`, "counter", "Runs skipped because the previous one was still going.", l, c.skipped);
    if (c.next) w.sample(`${P}cron_next_run_timestamp_seconds`, "gauge", "When the schedule fires next, unix seconds.", l, Date.parse(c.next) / 1000);
  }
  for (const m of doc.file_monitors ?? []) w.sample(`${P}file_monitor_signals_total`, "counter", "Signals a file monitor has raised.", { signal: m.signal, path: m.path }, m.fired);

  for (const c of doc.caches ?? []) {
    const l = { cache: c.name };
    w.sample(`${P}cache_items`, "gauge", "Items in a cache.", l, c.items);
    w.sample(`${P}cache_max_items`, "gauge", "Items a cache can hold.", l, c.max_items);
    w.sample(`${P}cache_hits_total`, "counter", "Gets that found their key.", l, c.hits);
    w.sample(`${P}cache_misses_total`, "counter", "Gets that did not.", l, c.miss);
    w.sample(`${P}cache_full_total`, "counter", "Sets refused because the cache was full.", l, c.full);
    w.sample(`${P}cache_evicted_total`, "counter", "Items evicted (purge_lru).", l, c.evicted);
  }
  for (const s of doc.spoolers ?? []) {
    const l = { dir: s.dir };
    w.sample(`${P}spooler_tasks_total`, "counter", "Task attempts a spooler has run.", l, s.tasks);
    w.sample(`${P}spooler_running_tasks`, "gauge", "Tasks running now.", l, s.running);
    w.sample(`${P}spooler_pending_tasks`, "gauge", "Tasks waiting in the spool directory (at most a second old).", l, s.pending);
    w.sample(`${P}spooler_failed_tasks`, "gauge", "Tasks in failed/ (out of retries).", l, s.failed);
    w.sample(`${P}spooler_quarantined_files`, "gauge", "Corrupt or foreign files in quarantine/.", l, s.quarantined);
    w.sample(`${P}spooler_respawns_total`, "counter", "Times a spooler process was started again.", l, s.respawns);
    w.histogram(`${P}spooler_task_duration_seconds`, "Time a task attempt ran.", l, s.task_seconds);
    w.histogram(`${P}spooler_task_wait_seconds`, "Time from a task's due time (enqueue, or its at / retry time) to its start.", l, s.task_wait_seconds);
  }
  if (doc.rpc) w.sample(`${P}rpc_calls_total`, "counter", "RPC calls answered from other instances.", {}, doc.rpc.calls);
  return w.text();
}
