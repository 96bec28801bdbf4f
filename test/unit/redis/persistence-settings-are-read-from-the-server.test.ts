import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { openRedis, readPersistence } from "../../../core/redis/client.ts";
import { parseRedisUrl } from "../../../core/redis/url.ts";

test("persistence settings (appendonly, appendfsync) are read from the server", async () => {
  for (const fsync of ["always", "everysec", "off"] as const) {
    const s = await startRedis({ appendfsync: fsync });
    try {
      const c = await openRedis(parseRedisUrl(s.url));
      const p = await readPersistence(c);
      assert.equal(p.appendonly, fsync !== "off");
      if (fsync !== "off") assert.equal(p.appendfsync, fsync);
      await c.close();
    } finally {
      await s.stop();
    }
  }
});
