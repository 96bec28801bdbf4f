// A Redis store over its own redis-server, for the Redis store's unit tests:
// each call starts a server (AOF, appendfsync always unless told), opens the
// store through openStore (the factory), and stops both afterwards.
import { startRedis, type Fsync, type RedisServer } from "../../redis-lib.ts";
import { openStore } from "../../../core/spooler/open.ts";
import type { SpoolStore } from "../../../core/spooler/store.ts";

export async function withRedisStore(
  fn: (store: SpoolStore, server: RedisServer, open: (o?: Record<string, unknown>) => Promise<SpoolStore>) => Promise<void>,
  opts: { appendfsync?: Fsync; name?: string } = {},
): Promise<void> {
  const server = await startRedis({ appendfsync: opts.appendfsync ?? "always" });
  const opened: SpoolStore[] = [];
  const address = `${server.url}#${opts.name ?? "t"}`;
  const open = async (o: Record<string, unknown> = {}) => {
    const s = await openStore(address, o as any);
    opened.push(s);
    return s;
  };
  try {
    await fn(await open(), server, open);
  } finally {
    for (const s of opened) await s.close().catch(() => {});
    await server.stop();
  }
}
