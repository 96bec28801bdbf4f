// The stats server: on connect, one JSON document, then close (uWSGI's
// behaviour, so uwsgitop-style readers work); with --stats-http, HTTP served
// by core/dashboard/: the same document at GET / (the live page for a
// browser), GET /metrics for Prometheus (metrics.ts), the page and its actions.
// Loopback or a 0600 unix socket by default.
import { chmodSync, lstatSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:net";
import { net } from "../base/lazy-builtins.ts";
import { UsageError } from "../errors.ts";
import type { Slot } from "../engine.ts";
import type { RequestOp } from "./handshake.ts";
import { checkListenHost, listenError } from "../runtime/listen-errors.ts";
import { parseAddr } from "../config.ts";

// Memory figures are read at most once a second per process: smaps_rollup
// walks the page tables, and a client polling the stats server (a readiness
// check, uwsgitop) must not slow the children it watches.
const MEM_TTL_MS = 1000;
type MemKb = { rss: number; pss: number | null; vsz: number; uss: number };
const memCache = new Map<number, { at: number; kb: MemKb }>();

/** RSS, PSS, virtual size and USS (private pages) of `pid` in KiB (PSS null, USS 0 when unreadable), at most a second old. */
export function procMemKb(pid: number): MemKb {
  const now = Date.now();
  const hit = memCache.get(pid);
  if (hit && now - hit.at < MEM_TTL_MS) return hit.kb;
  const kb = readMemKb(pid);
  if (memCache.size > 4096) memCache.clear();
  memCache.set(pid, { at: now, kb });
  return kb;
}

function readMemKb(pid: number): MemKb {
  let rss = 0, pss: number | null = null, vsz = 0, uss = 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /VmRSS:\s+(\d+)/.exec(status);
    if (m) rss = Number(m[1]);
    const v = /VmSize:\s+(\d+)/.exec(status);
    if (v) vsz = Number(v[1]);
  } catch { /* gone */ }
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const m = /Pss:\s+(\d+)/.exec(rollup);
    if (m) pss = Number(m[1]);
    // uWSGI 2.1's uss: the pages only this process maps.
    uss = Number(/Private_Clean:\s+(\d+)/.exec(rollup)?.[1] ?? 0) + Number(/Private_Dirty:\s+(\d+)/.exec(rollup)?.[1] ?? 0);
  } catch { /* not readable */ }
  return { rss, pss, vsz, uss };
}

/** `ops`: the engines' request ops, for the page's views and actions that are not in the document (parked messages). */
export async function startStatsServer(addr: string, http: boolean, doc: () => Record<string, unknown>, ops?: Map<string, RequestOp>): Promise<Server> {
  const request = (op: string, args: unknown) => ops?.get(op)?.(null as unknown as Slot, args);
  const dash = http ? new (await import("../dashboard/index.ts")).Dashboard({ doc, memKb: procMemKb, request }) : null;
  const server = net().createServer((sock) => {
    sock.on("error", () => {});
    if (dash) return dash.serve(sock);
    sock.end(JSON.stringify(doc()));
  });
  if (dash) {
    // The page's event streams stay open: close them with the server, or its close would wait for them.
    const close = server.close.bind(server);
    server.close = ((cb?: (err?: Error) => void) => { dash.close(); return close(cb); }) as typeof server.close;
  }
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
