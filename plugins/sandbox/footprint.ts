// Measures the memory of N sandboxed light mules in this process:
//   node_modules/.bin/bun plugins/sandbox/footprint.ts [N] [script]
//   node_modules/.bin/deno run -A --no-check --config deno.json plugins/sandbox/footprint.ts [N]
// Prints RSS and PSS before/after (from /proc/self), per mule, and the shared heap size.
import { readFileSync } from "node:fs";
import { createLightMule, type LightMule, lightMuleHeapBytes } from "./light-mule.ts";
import { sharedQuickJSInstance } from "./quickjs.ts";
import { forceGc } from "../../core/adapter/gc.ts";
import { runtimeName } from "../../core/adapter/runtime.ts";

const argv = process.argv.slice(2);
const N = Number(argv[0] ?? 1000);
const script = argv[1] ?? new URL("../../test/fixtures/plugins/counter-mule.ts", import.meta.url).pathname;

function mem(): { rss: number; pss: number } {
  const s = readFileSync("/proc/self/smaps_rollup", "utf8");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(s)?.[1] ?? 0) * 1024;
  return { rss: kb("Rss"), pss: kb("Pss") };
}
const gc = forceGc;
const settle = () => new Promise((r) => setTimeout(r, 300));

await sharedQuickJSInstance(); // the wasm module and its first 16 MiB are paid once, by the first mule
// one warm-up mule so code paths are JIT-compiled before measuring
const warm = await createLightMule(script, { id: 1, grants: ["cache"], host: { cacheSet() {} } });
warm.deliver("warm-up");
await settle();
gc(); await settle(); gc();
const before = mem();
const t0 = performance.now();
const mules: LightMule[] = [];
for (let i = 0; i < N; i++) mules.push(await createLightMule(script, { id: i + 2, grants: ["cache"], host: { cacheSet() {} } }));
const created = performance.now() - t0;
for (const m of mules) m.deliver("hello");
await settle();
gc(); await settle(); gc();
const after = mem();
const running = mules.filter((m) => m.stats().state === "running" && m.stats().delivered === 1).length;
const per = (k: "rss" | "pss") => ((after[k] - before[k]) / N / 1024).toFixed(1);
const rt = runtimeName;
console.log(
  `${rt}: ${N} light mules (${running} running, each got its message) in ${created.toFixed(0)} ms; ` +
    `RSS ${(before.rss / 2 ** 20).toFixed(1)} -> ${(after.rss / 2 ** 20).toFixed(1)} MiB (${per("rss")} KiB/mule); ` +
    `PSS ${(before.pss / 2 ** 20).toFixed(1)} -> ${(after.pss / 2 ** 20).toFixed(1)} MiB (${per("pss")} KiB/mule); ` +
    `shared QuickJS heap ${((await lightMuleHeapBytes()) / 2 ** 20).toFixed(1)} MiB; ` +
    `QuickJS-reported per mule ${(mules.reduce((a, m) => a + m.stats().memoryUsed, 0) / N / 1024).toFixed(1)} KiB`,
);
for (const m of mules) m.dispose();
warm.dispose();
