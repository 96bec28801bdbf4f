// Two mulefarm instances (two masters, two stats ports) of
// test/fixtures/redis/cluster-app.ts on one Redis started for the test.
import { startRedis, type RedisServer } from "../../redis-lib.ts";
import { freePort, type Instance, start, tmp, until } from "../lib.ts";

export interface Pair {
  redis: RedisServer;
  out: string;
  a: Instance & { http: number; stats: number };
  b: Instance & { http: number; stats: number };
  get(who: "a" | "b", path: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function twoInstances(opts: { env?: Record<string, string>; args?: string[] } = {}): Promise<Pair> {
  const redis = await startRedis({ appendfsync: "off" });
  const out = tmp("mf-redis-e2e-");
  const one = async (name: string) => {
    const [http, stats] = [await freePort(), await freePort()];
    const i = start(["--http", `127.0.0.1:${http}`, "--module", "test/fixtures/redis/cluster-app.ts", "--redis", redis.url, "--stats", `127.0.0.1:${stats}`, ...(opts.args ?? [])],
      { env: { OUT: out, INSTANCE: name, ...opts.env } });
    return Object.assign(i, { http, stats });
  };
  const a = await one("A"), b = await one("B");
  const pair: Pair = {
    redis, out, a, b,
    async get(who, path, timeoutMs = 30_000) {
      const r = await fetch(`http://127.0.0.1:${(who === "a" ? a : b).http}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
      return r.text();
    },
    async stop() {
      await Promise.all([a.stop(), b.stop()]);
      await redis.stop();
    },
  };
  try {
    await until(async () => (await pair.get("a", "/", 2000)) === "ok" && (await pair.get("b", "/", 2000)) === "ok", 30_000, "both instances serving");
  } catch (e) {
    await pair.stop();
    throw e;
  }
  return pair;
}
