// App for signal_latency (mirrors ../shared/bench/uwsgi/apps/signal_app.py).
// Loaded by the worker and by the signal-only mule (--mules 1); the handlers
// are registered at load in every process that loads it, target mule1:
//   17: reply "<handled count>" by UDP to 127.0.0.1:BENCH_ACK_PORT
//   18: count only (burst throughput)
//   19: reply the burst counters as JSON by UDP
// GET /rtt?n=N&warmup=W raises 17 and waits for each acknowledgement;
// GET /burst?n=N&mode=pipelined|awaited raises 18 N times back to back, then asks with 19.
import { capsResponse, pick, settle } from "./caps.ts";
import { monoNs as now } from "./clock.ts";
import { udpListener, udpSender } from "./udp.ts";

const ACK_PORT = Number(process.env.BENCH_ACK_PORT);
const register = pick(["registerSignal", "register_signal"]);
const raise = pick(["raiseSignal", "signal"]);
const state = { rtt: 0, burst: 0, first: 0, last: 0 };
const ack = await udpSender(ACK_PORT);

if (register) {
  await settle(register(17, "mule1", () => { state.rtt++; ack(String(state.rtt)); }));
  await settle(register(18, "mule1", () => {
    const t = now();
    if (!state.burst) state.first = t;
    state.last = t;
    state.burst++;
  }));
  await settle(register(19, "mule1", () => {
    ack(JSON.stringify({ count: state.burst, first_ns: state.first, last_ns: state.last }));
  }));
}

async function rtt(n: number, warmup: number) {
  const l = await udpListener(ACK_PORT);
  const lat: number[] = [];
  let lost = 0, refused = 0;
  try {
    for (let i = 0; i < warmup + n; i++) {
      const t0 = now();
      try { await settle(raise!(17)); } catch { refused++; continue; }
      const a = await l.recv(1000);
      if (a !== null) { if (i >= warmup) lat.push(now() - t0); continue; }
      lost++;
      while ((await l.recv(200)) !== null) { /* swallow late acks */ }
    }
  } finally { l.close(); }
  return { lat_ns: lat, lost, refused };
}

// mode "pipelined": N raises back to back without waiting for anything, then
// every raise's verdict is collected (a refused raise rejects with
// SignalQueueFull: refused, not dropped). mode "awaited": each raise awaited
// (the master's verdict) before the next.
async function burst(n: number, mode: string) {
  const l = await udpListener(ACK_PORT);
  let refused = 0;
  const isFull = (e: any) => e?.name === "SignalQueueFull" || e?.code === "SignalQueueFull";
  try {
    const t0 = now();
    let t1: number;
    if (mode === "awaited") {
      for (let i = 0; i < n; i++) {
        try { await settle(raise!(18)); } catch (e: any) { if (isFull(e)) refused++; else throw e; }
      }
      t1 = now();
    } else {
      const ps: unknown[] = [];
      for (let i = 0; i < n; i++) {
        try { ps.push(raise!(18)); } catch (e: any) { if (isFull(e)) refused++; else throw e; }
      }
      t1 = now();
      for (const r of await Promise.allSettled(ps)) if (r.status === "rejected") { if (isFull(r.reason)) refused++; else throw r.reason; }
    }
    let rep: any = null;
    for (let k = 0; k < 20 && !rep; k++) {
      try { await settle(raise!(19)); } catch { /* full: ask again */ }
      const a = await l.recv(500);
      if (a !== null) rep = JSON.parse(a);
    }
    return { t_start_ns: t0, t_end_ns: t1, report: rep, refused };
  } finally { l.close(); }
}

export default {
  async fetch(req: Request): Promise<Response> {
    const url = new URL(req.url), q = url.searchParams;
    if (url.pathname === "/caps") return capsResponse({ registerSignal: register, raiseSignal: raise });
    if (url.pathname === "/rtt") return Response.json(await rtt(Number(q.get("n")), Number(q.get("warmup") ?? 0)));
    if (url.pathname === "/burst") return Response.json(await burst(Number(q.get("n")), q.get("mode") ?? "pipelined"));
    return new Response("ok");
  },
};
