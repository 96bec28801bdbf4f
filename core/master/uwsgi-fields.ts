// uWSGI 2.0's fields of the stats document (core/master_utils.c,
// uwsgi_master_generate_stats), so uwsgitop and other readers of uWSGI's
// document work on mulefarm's. Real values where mulefarm has them; the
// constants (one core per worker, no listen backlog, no tx count) are listed
// in docs/uwsgi-compat.md. mulefarm's own fields stay next to them.
import type { Config } from "../config.ts";
import type { Slot } from "../engine.ts";

// The histogram array's tail (runtime/histogram.ts): ..., +Inf, count, sum.
const histCount = (h: unknown) => (Array.isArray(h) ? Number(h[h.length - 2]) || 0 : 0);
const histSum = (h: unknown) => (Array.isArray(h) ? Number(h[h.length - 1]) || 0 : 0);

/** Requests the worker has in hand now (its push, at most 100 ms old). */
export const inRequest = (s: Slot) => (s.current ? Number(s.stats.in_request ?? 0) : 0);

/**
 * A worker's uWSGI fields, in uWSGI's order; `base` is mulefarm's entry
 * (id, pid, status, rss, ...), whose values win where both have the name.
 */
export function uwsgiWorker(s: Slot, base: Record<string, unknown>, config: Config): Record<string, unknown> {
  const requests = Number(s.stats.requests ?? 0);
  const exceptions = Number(s.stats.exceptions ?? 0);
  const busy = inRequest(s);
  const h = s.stats.request_seconds;
  const count = histCount(h), sum = histSum(h);
  const status = base.status === "idle" && busy > 0 ? "busy" : base.status;
  const doc: Record<string, unknown> = {
    id: base.id,
    pid: base.pid,
    // uwsgi.accepting(false) in the worker clears it; a process not yet ready does not accept.
    accepting: s.current?.ready && s.stats.accepting !== 0 ? 1 : 0,
    requests,
    // Since this process started (uWSGI: since the last respawn); mulefarm's requests count the same.
    delta_requests: requests,
    exceptions,
    harakiri_count: 0,
    signals: base.signals,
    signal_queue: base.signal_queue ?? 0,
    status,
    rss: base.rss,
    vsz: base.vsz ?? 0,
    // uWSGI 2.1 adds uss and pss here; mulefarm's pss (null when unreadable) comes with its own fields.
    uss: base.uss ?? 0,
    // uWSGI's are microseconds: time spent in requests, and the mean response time.
    running_time: Math.round(sum * 1e6),
    last_spawn: base.last_spawn,
    respawn_count: base.respawn_count,
    tx: 0,
    avg_rt: count ? Math.round((sum / count) * 1e6) : 0,
    apps: [{ id: 0, modifier1: 0, mountpoint: "", startup_time: 0, requests, exceptions, chdir: config.chdir ?? "" }],
    cores: [{
      id: 0, requests, static_requests: 0, routed_requests: 0, offloaded_requests: 0, write_errors: 0, read_errors: 0,
      in_request: busy > 0 ? 1 : 0, vars: [], req_info: {},
    }],
    ...base,
  };
  doc.status = status; // mulefarm's idle becomes uWSGI's busy while a request is in hand
  return doc;
}

/** The top-level fields uWSGI puts before `pid`: the listen queue, the master's signal queue and the load. */
export function uwsgiTop(workers: Slot[]): Record<string, number> {
  return {
    // The runtime's HTTP server does not show its backlog: constant 0.
    listen_queue: 0,
    listen_queue_errors: 0,
    signal_queue: 0, // the signal engine fills it
    // uWSGI's load: requests in hand across the workers.
    load: workers.reduce((a, s) => a + inRequest(s), 0),
  };
}

/** uWSGI's sockets[]: the --http address, shared by every worker (SO_REUSEPORT). */
export function uwsgiSockets(config: Config): Array<Record<string, unknown>> {
  if (!config.http) return [];
  return [{ name: `${config.http.host}:${config.http.port}`, proto: "http", queue: 0, max_queue: 0, shared: 0, can_offload: 0 }];
}
