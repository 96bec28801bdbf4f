// App for cache_ops (mirrors ../shared/bench/uwsgi/apps/cache_app.py).
// GET /cache?n=N&size=S&rounds=R runs, in this worker, on the shared cache
// "default": set (N new keys), get (R rounds over the same keys, compared with
// the expected value), update (overwrite every key). Answers with ns timings.
import { capsResponse, pick, settle } from "./caps.ts";
import { monoNs as now } from "./clock.ts";

const cset = pick(["cacheSet", "cache_set"]);
const cget = pick(["cacheGet", "cache_get"]);
const cupd = pick(["cacheUpdate", "cache_update"]);
const enc = new TextEncoder();
// Compared as bytes, as the uWSGI app compares Python bytes (no decoding per get).
function same(v: unknown, want: Uint8Array): boolean {
  if (!(v instanceof Uint8Array) || v.length !== want.length) return false;
  for (let i = 0; i < want.length; i++) if (v[i] !== want[i]) return false;
  return true;
}

async function bench(n: number, size: number, rounds: number) {
  const keys = Array.from({ length: n }, (_, i) => "k" + String(i).padStart(7, "0"));
  const val = "v".repeat(size), val2 = "w".repeat(size);
  const wantBytes = enc.encode(val);
  const out: any = {};
  let ok = 0, t0 = now();
  for (const k of keys) { const r = cset!(k, val); if (r instanceof Promise ? await settle(r) : r) ok++; }
  out.set = { ns: now() - t0, ok };
  out.get = [];
  for (let r = 0; r < rounds; r++) {
    let hits = 0;
    t0 = now();
    for (const k of keys) {
      const r = cget!(k);
      // The API is synchronous; only await what is really a promise.
      if (same(r instanceof Promise ? await settle(r) : r, wantBytes)) hits++;
    }
    out.get.push({ ns: now() - t0, ok: hits });
  }
  ok = 0;
  t0 = now();
  for (const k of keys) { const r = cupd!(k, val2); if (r instanceof Promise ? await settle(r) : r) ok++; }
  out.update = { ns: now() - t0, ok };
  return out;
}

export default {
  async fetch(req: Request): Promise<Response> {
    const url = new URL(req.url), q = url.searchParams;
    if (url.pathname === "/caps") return capsResponse({ cacheSet: cset, cacheGet: cget, cacheUpdate: cupd });
    if (url.pathname === "/cache") return Response.json(await bench(Number(q.get("n")), Number(q.get("size")), Number(q.get("rounds") ?? 3)));
    return new Response("ok");
  },
};
