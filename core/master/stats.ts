// The stats server: on connect, one JSON document, then close (uWSGI's
// behaviour, so uwsgitop-style readers work); with --stats-http, the same
// document as an HTTP response, and GET /metrics for Prometheus (metrics.ts).
// Loopback or a 0600 unix socket by default.
import { chmodSync, lstatSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:net";
import { net } from "../base/lazy-builtins.ts";
import { UsageError } from "../errors.ts";
import { checkListenHost, listenError } from "../runtime/listen-errors.ts";
import { parseAddr } from "../config.ts";
import { prometheusText } from "./metrics.ts";

// Memory figures are read at most once a second per process: smaps_rollup
// walks the page tables, and a client polling the stats server (a readiness
// check, uwsgitop) must not slow the children it watches.
const MEM_TTL_MS = 1000;
const memCache = new Map<number, { at: number; kb: { rss: number; pss: number | null } }>();

/** RSS and PSS of `pid` in KiB (PSS null when unreadable), at most a second old. */
export function procMemKb(pid: number): { rss: number; pss: number | null } {
  const now = Date.now();
  const hit = memCache.get(pid);
  if (hit && now - hit.at < MEM_TTL_MS) return hit.kb;
  const kb = readMemKb(pid);
  if (memCache.size > 4096) memCache.clear();
  memCache.set(pid, { at: now, kb });
  return kb;
}

function readMemKb(pid: number): { rss: number; pss: number | null } {
  let rss = 0, pss: number | null = null;
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    if (m) rss = Number(m[1]);
  } catch { /* gone */ }
  try {
    const m = /Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    if (m) pss = Number(m[1]);
  } catch { /* not readable */ }
  return { rss, pss };
}

export async function startStatsServer(addr: string, http: boolean, doc: () => Record<string, unknown>): Promise<Server> {
  const server = net().createServer((sock) => {
    sock.on("error", () => {});
    const d = doc();
    const body = JSON.stringify(d);
    if (!http) {
      sock.end(body);
      return;
    }
    // Answer after the request line arrives: GET /metrics in Prometheus' text
    // format, any other path the JSON document.
    sock.once("data", (chunk: Buffer) => {
      const metrics = /^GET \/metrics[ ?]/.test(chunk.toString("latin1", 0, 64));
      const text = metrics ? prometheusText(d) : body;
      const type = metrics ? "text/plain; version=0.0.4; charset=utf-8" : "application/json";
      sock.end(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    });
  });
  const isTcp = addr.includes(":");
  const what = "cannot start the stats server on";
  const tcp = isTcp ? parseAddr("stats", addr) : null;
  if (tcp) await checkListenHost(what, tcp.host, tcp.port);
  else {
    // A socket left by a previous run is replaced; anything else at that path is the user's, never removed.
    let st: ReturnType<typeof lstatSync> | undefined;
    try { st = lstatSync(addr); } catch { /* free */ }
    if (st && !st.isSocket()) throw new UsageError(`${what} ${addr}: the path exists and is not a socket (${st.isDirectory() ? "a directory" : "a file"})`);
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: any) => reject(listenError(what, addr, e)));
    if (tcp) {
      const { host, port } = tcp;
      server.listen(port, host === "0.0.0.0" ? "127.0.0.1" : host, () => resolve());
    } else {
      rmSync(addr, { force: true });
      server.listen(addr, () => {
        try { chmodSync(addr, 0o600); } catch { /* best effort */ }
        resolve();
      });
    }
  });
  return server;
}
