// lock_roundtrip: waits for $BENCH_DIR/go, then times N lock(1)+unlock(1)
// cycles and writes the samples' percentiles to lock<ID>.json.
import { existsSync, writeFileSync } from "node:fs";
import { lock, Mule, unlock } from "mulefarm";

const dir = process.env.BENCH_DIR!;
const n = Number(process.env.BENCH_LOCK_N ?? 100000);
const id = Mule.currentId();
writeFileSync(`${dir}/mule${id}.ready`, "1");
while (!existsSync(`${dir}/go${id}`)) await new Promise((r) => setTimeout(r, 5));
const s = new Float64Array(n);
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  const a = performance.now();
  await lock(1);
  unlock(1);
  s[i] = performance.now() - a;
}
const total = performance.now() - t0;
s.sort();
const pct = (p: number) => s[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)] * 1000;
writeFileSync(`${dir}/lock${id}.json`, JSON.stringify({ n, p50_us: pct(50), p99_us: pct(99), cycles_per_s: n / (total / 1000) }));
setInterval(() => {}, 1 << 30);
