// Workload 6: cache_ops (see ../shared/bench/WORKLOADS.md).
// One worker runs set / get (3 rounds) / update loops on the shared cache
// "default" (--cache2 name=default,items=100000[,blocksize=64]).
import { caseFn, envInt, median, procStatusKb, requireCaps, runCases, Server, skipIfUnavailable, withServer, type Case } from "./lib.ts";

const N = envInt("BENCH_CACHE_N", 50_000);
const SIZE = 32, ROUNDS = 3;

function ccase(name: string, opt: string) {
  return caseFn(name, async (): Promise<Case> => {
    skipIfUnavailable();
    const args = ["--http", "127.0.0.1:{port}", "--processes", "1", "--module", "{apps}/cache_app.ts", "--cache2", opt];
    return await withServer(new Server(`cache-${name}`, args), async (u) => {
      await u.waitHttp();
      await requireCaps(u);
      const r = await u.getJson(`/cache?n=${N}&size=${SIZE}&rounds=${ROUNDS}`, 25);
      const getRates = r.get.map((g: any) => N / (g.ns / 1e9));
      return {
        name, ok: r.set.ok === N && r.get.every((g: any) => g.ok === N) && r.update.ok === N,
        params: { keys: N, value_bytes: SIZE, get_rounds: ROUNDS, cache: opt, value_type: "string" },
        set_ops_per_s: Math.round(N / (r.set.ns / 1e9)), get_ops_per_s: Math.round(median(getRates)),
        update_ops_per_s: Math.round(N / (r.update.ns / 1e9)),
        set_ok: r.set.ok, get_hits: r.get.map((g: any) => g.ok), update_ok: r.update.ok,
        master_rss_kb: procStatusKb(u.proc!.pid!, "VmRSS"),
        command: u.command(),
      };
    });
  });
}

await runCases("cache_ops", [ccase("default_blocksize", "name=default,items=100000"), ccase("blocksize_64", "name=default,items=100000,blocksize=64")],
  envInt("BENCH_DEADLINE_S", 60), { n: N });
