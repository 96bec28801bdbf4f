// The page's process table: every process of the instance from the stats
// document (master, workers, mules, the light-mule host, spoolers), with its
// uptime from /proc (the kernel's start time, so it is right for any pid
// the document names, spoolers included) and its memory.
import { readFileSync } from "node:fs";

type Doc = Record<string, any>;

export interface ProcRow {
  role: string;
  id: number | string;
  pid: number;
  status: string;
  /** Seconds, null when unknown (no process). */
  uptime: number | null;
  rss: number;
  pss: number | null;
  respawns: number;
  harakiri: number;
  /** What it has done: requests, messages or tasks. */
  work: string;
}

// Linux reports start times in clock ticks; USER_HZ is 100 on every Linux ABI mulefarm runs on.
const TICKS = 100;

/** Seconds since `pid` started, or null when it is gone. */
export function uptimeS(pid: number): number | null {
  if (!pid) return null;
  try {
    const st = readFileSync(`/proc/${pid}/stat`, "utf8");
    const start = Number(st.slice(st.lastIndexOf(")") + 2).split(" ")[19]);
    const up = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
    return Math.max(0, Math.round(up - start / TICKS));
  } catch {
    return null;
  }
}

/** `memKb`: RSS and PSS of a pid in KiB (the stats server's cached reader). */
export function processRows(doc: Doc, memKb: (pid: number) => { rss: number; pss: number | null }): ProcRow[] {
  const rows: ProcRow[] = [];
  const mem = (pid: number) => (pid ? memKb(pid) : { rss: 0, pss: null });
  // Light mules share their host's pid: one /proc read per pid, not per row.
  const ups = new Map<number, number | null>();
  const uptime = (pid: number) => { if (!ups.has(pid)) ups.set(pid, uptimeS(pid)); return ups.get(pid)!; };
  rows.push({ role: "master", id: 0, pid: doc.pid, status: "running", uptime: uptime(doc.pid), rss: doc.rss ?? 0, pss: null, respawns: 0, harakiri: 0, work: "" });
  for (const w of doc.workers ?? []) {
    rows.push({ role: "worker", id: w.id, pid: w.pid, status: w.status, uptime: uptime(w.pid), rss: w.rss, pss: w.pss, respawns: w.respawn_count, harakiri: w.harakiri_count ?? 0, work: `${w.requests} requests${w.exceptions ? `, ${w.exceptions} exceptions` : ""}` });
  }
  for (const m of doc.mules ?? []) {
    rows.push({ role: m.sandboxed ? "light mule" : "mule", id: m.id, pid: m.pid, status: m.status, uptime: uptime(m.pid), rss: m.rss, pss: m.pss, respawns: m.respawn_count, harakiri: m.harakiri_count ?? 0, work: `${m.messages_received ?? 0} messages${m.farms?.length ? ` (farm ${m.farms.join(", ")})` : ""}` });
  }
  for (const s of doc.spoolers ?? []) {
    const pids: number[] = s.pids ?? [s.pid];
    pids.forEach((pid, i) => {
      const kb = mem(pid);
      rows.push({
        role: "spooler", id: pids.length > 1 ? `${s.dir} #${i + 1}` : s.dir, pid, status: s.statuses?.[i] ?? (pid ? "idle" : "dead"), uptime: uptime(pid),
        rss: kb.rss * 1024, pss: kb.pss === null ? null : kb.pss * 1024, respawns: i === 0 ? s.respawns : 0, harakiri: 0,
        work: i === 0 ? `${s.tasks} tasks${pids.length > 1 ? " (all processes)" : ""}` : "",
      });
    });
  }
  return rows;
}
