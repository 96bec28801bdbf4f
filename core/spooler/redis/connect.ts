// The one place the Redis store constructs its ioredis clients (to be
// re-pointed at core/redis/client.ts once that exists). ioredis is loaded
// lazily: nothing about Redis loads unless a redis:// address is used.
//
// Settings: auto-pipelining off (the benchmark's rule, and it costs workers
// throughput on loopback); no per-request retry limit (commands wait in the
// offline queue through a reconnect and are re-sent; the store's scripts are
// safe to re-send); reconnect forever with a short back-off.
import type { RedisAddress } from "../../redis/url.ts";
import { oneLine } from "../../errors.ts";
import { RedisUnavailable, shownUrl } from "./errors.ts";

export type RedisClient = import("ioredis").Redis;

let ctor: Promise<typeof import("ioredis").Redis> | null = null;

function ioredis(): Promise<typeof import("ioredis").Redis> {
  ctor ??= import("ioredis").then((m: any) => m.Redis ?? m.default);
  return ctor;
}

function options(addr: RedisAddress, extra: Record<string, unknown>) {
  return {
    host: addr.host,
    port: addr.port,
    username: addr.username,
    password: addr.password,
    db: addr.db,
    tls: addr.tls ? {} : undefined,
    enableAutoPipelining: false,
    maxRetriesPerRequest: null,
    lazyConnect: true,
    connectionName: "mulefarm-spool",
    retryStrategy: (n: number) => Math.min(50 * n, 500),
    ...extra,
  };
}

/** A client that reconnects by itself; connects on first use. */
export async function newClient(addr: RedisAddress): Promise<RedisClient> {
  const Redis = await ioredis();
  const c = new Redis(options(addr, {}) as any);
  // Errors while reconnecting are expected; the commands wait and are re-sent.
  c.on("error", () => {});
  return c;
}

/**
 * One connection attempt, no retries (the start-up check): resolves with a
 * connected client or rejects with RedisUnavailable naming the URL and why.
 */
export async function connectOnce(addr: RedisAddress, timeoutMs = 3000): Promise<RedisClient> {
  const Redis = await ioredis();
  const c = new Redis(options(addr, { retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, enableOfflineQueue: false }) as any);
  let last: unknown;
  c.on("error", (e: unknown) => { last = e; });
  try {
    await c.connect();
    await c.ping();
    return c;
  } catch (e) {
    c.disconnect();
    throw new RedisUnavailable(`Redis at ${shownUrl(addr)} is unreachable: ${oneLine((last as any)?.message ?? (e as any)?.message ?? e)}`);
  }
}
