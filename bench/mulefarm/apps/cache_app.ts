// App for cache_ops (mirrors ../shared/bench/uwsgi/apps/cache_app.py).
// GET /cache?n=N&size=S&rounds=R runs, in this worker, on the shared cache
// "default": set (N new keys), get (R rounds over the same keys, compared with
// the expected value), update (overwrite every key). Answers with ns timings.
import { capsResponse, pick, settle } from "./caps.ts";
import { monoNs as now } from "./clock.ts";

const cset = pick(["cacheSet", "cache_set"]);
const cget = pick(["cacheGet", "cache_get"]);
const cupd = pick(["cacheUpdate", "cache_update"]);
const dec = new TextDecoder();
const same = (v: unknown, want: string) => v === want || (v instanceof Uint8Array && dec.decode(v) === want);

async function bench(n: number, size: number, rounds: number) {
  const keys = Array.from({ length: n }, (_, i) => "k" + String(i).padStart(7, "0"));
  const val = "v".repeat(size), val2 = "w".repeat(size);
  const out: any = {};
  let ok = 0, t0 = now();
  for (const k of keys) if (await settle(cset!(k, val))) ok++;
  out.set = { ns: now() - t0, ok };
  out.get = [];
  for (let r = 0; r < rounds; r++) {
    let hits = 0;
    t0 = now();
    for (const k of keys) if (same(await settle(cget!(k)), val)) hits++;
    out.get.push({ ns: now() - t0, ok: hits });
  }
  ok = 0;
  t0 = now();
  for (const k of keys) if (await settle(cupd!(k, val2))) ok++;
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
