// The Redis store passes the store conformance suite (the same file the file
// store runs): each test gets its own redis-server (AOF, appendfsync always).
import { runStoreConformance } from "./spool-store.conformance.ts";
import { startRedis, type RedisServer } from "../../redis-lib.ts";
import { openRedis } from "../../../core/redis/client.ts";
import { parseRedisUrl } from "../../../core/redis/url.ts";
import { spoolKeys } from "../../../core/spooler/redis/keys.ts";

runStoreConformance("redis store", {
  async fresh() {
    const server: RedisServer = await startRedis({ appendfsync: "always" });
    const address = `${server.url}#conf`;
    return {
      address,
      // An entry whose record is not a task, first in run order (priority 0, due long ago).
      async writeGarbage() {
        const c = await openRedis(parseRedisUrl(address));
        const k = spoolKeys("conf");
        const id = "0000000000000-0000000-00000000-garbage0";
        const member = `p${"0".repeat(16)}:${"0".repeat(13)}:${"0".repeat(12)}:${id}`;
        await c.run(5000, async (r) => {
          await r.hset(k.rec, id, "not a task at all");
          await r.hset(k.meta, id, JSON.stringify({ a: 0, d: 0, q: 0, p: "0".repeat(16), s: "p", m: member }));
          await r.zadd(k.ready, 0, member);
        });
        await c.close();
      },
      async cleanup() { await server.stop(); },
    };
  },
});
