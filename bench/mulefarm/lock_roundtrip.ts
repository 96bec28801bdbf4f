// lock_roundtrip (issue 6; no uWSGI driver exists for it): lock(1)+unlock(1)
// cycles timed in a mule, alone (uncontended) and with a second mule doing
// the same at the same time (contended). mulefarm's locks are words in a
// shared-memory file (Atomics compare-and-swap on the mapping): the fast
// path on both Bun (Bun.mmap) and Deno (libc mmap through FFI); there is no
// master-held fallback, since both runtimes here can map shared memory.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { caseFn, envInt, runCases, Server, sleep, waitFor, withServer, type Case } from "./lib.ts";

const N = envInt("BENCH_LOCK_N", 100000);

function lcase(name: string, mules: number) {
  return caseFn(name, async (): Promise<Case> => {
    const args = ["--locks", "1"];
    for (let i = 0; i < 2; i++) args.push("--mule={apps}/lock_mule.ts");
    return await withServer(new Server(`lock-${name}`, args, { BENCH_LOCK_N: N }), async (u) => {
      await u.waitFiles(["mule1.ready", "mule2.ready"], 15);
      for (let i = 1; i <= mules; i++) writeFileSync(u.path(`go${i}`), "1");
      const res = await waitFor(() => {
        u.checkAlive();
        const got = [];
        for (let i = 1; i <= mules; i++) {
          const f = u.path(`lock${i}.json`);
          if (!existsSync(f)) return null;
          got.push(JSON.parse(readFileSync(f, "utf8")));
        }
        return got;
      }, 25, "lock results", 20);
      await sleep(10);
      return {
        name, ok: true, params: { cycles_per_process: N, processes: mules, engine: "shared-memory lock words (Atomics CAS), no master round trip" },
        p50_us: Number(Math.max(...res.map((r: any) => r.p50_us)).toFixed(2)),
        p99_us: Number(Math.max(...res.map((r: any) => r.p99_us)).toFixed(2)),
        cycles_per_s_per_process: res.map((r: any) => Math.round(r.cycles_per_s)),
        command: u.command(),
      };
    });
  });
}

await runCases("lock_roundtrip", [lcase("uncontended", 1), lcase("contended_2_processes", 2)], envInt("BENCH_DEADLINE_S", 60), { n: N });
