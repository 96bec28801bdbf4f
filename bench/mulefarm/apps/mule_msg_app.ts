// HTTP app for mule_msg_throughput: the worker is the producer.
// GET /produce?n=N&size=S&target=mule|farm&retry=0|1&type=string|bytes&api=native|compat
// sends N messages (16-digit sequence number + 'x' padding, exactly S bytes),
// one API call per message, awaiting each (send() resolves once the message is
// accepted; it waits on a full queue instead of dropping), and answers with
// its own timings as JSON. Anything else answers "ok".
import { Farm, Mule } from "mulefarm";
import uwsgi from "mulefarm/uwsgi";
import { monoNs as now } from "./clock.ts";

function makeMsg(type: string, size: number) {
  if (type === "bytes") {
    return (i: number): Uint8Array => {
      const b = new Uint8Array(size).fill(120); // 'x'
      for (let k = 15, v = i; k >= 0; k--, v = Math.floor(v / 10)) b[k] = 48 + (v % 10);
      return b;
    };
  }
  const pad = "x".repeat(size - 16);
  return (i: number): string => String(i).padStart(16, "0") + pad;
}

async function produce(n: number, size: number, target: string, retry: boolean, type: string, api: string) {
  const msg = makeMsg(type, size);
  let send: (m: string | Uint8Array) => Promise<unknown>;
  if (api === "compat") {
    send = target === "farm" ? (m) => uwsgi.farm_msg("bench", m) : (m) => uwsgi.mule_msg(m, 1);
  } else {
    const dest = target === "farm" ? new Farm("bench") : new Mule(1);
    send = (m) => dest.send(m);
  }
  let failed = 0, retries = 0;
  const t0 = now();
  for (let i = 0; i < n; i++) {
    const m = msg(i);
    for (;;) {
      try {
        await send(m);
        break;
      } catch (e: any) {
        if (e?.name !== "QueueFull") throw e;
        if (!retry) { failed++; break; }
        retries++; // only after --mule-send-timeout of backpressure: never expected here
      }
    }
  }
  const t1 = now();
  return { t_start_ns: t0, t_end_ns: t1, send_failed: failed, send_retries: retries };
}

export default {
  async fetch(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname === "/produce") {
      const q = url.searchParams;
      const r = await produce(Number(q.get("n")), Number(q.get("size")), q.get("target") ?? "mule", q.get("retry") === "1",
        q.get("type") ?? "string", q.get("api") ?? "native");
      return Response.json(r);
    }
    return new Response("ok", { headers: { "content-type": "text/plain" } });
  },
};
