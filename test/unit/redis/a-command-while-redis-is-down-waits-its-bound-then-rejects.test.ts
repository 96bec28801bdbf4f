import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { openRedis } from "../../../core/redis/client.ts";
import { parseRedisUrl } from "../../../core/redis/url.ts";
import { RedisUnavailable } from "../../../core/errors.ts";

test("a command while Redis is down waits its bound, rejects with RedisUnavailable, and the client reconnects by itself", async () => {
  const s = await startRedis({ appendfsync: "off" });
  try {
    const c = await openRedis(parseRedisUrl(s.url));
    await c.run(5_000, (r) => r.set("k", "v"));
    await s.kill9();
    while (c.up) await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    await assert.rejects(c.run(300, (r) => r.get("k"), "reading k"), (e: unknown) => {
      assert.ok(e instanceof RedisUnavailable);
      assert.match((e as Error).message, /^reading k needs Redis within 300 ms: got no connection to redis:\/\/127\.0\.0\.1:\d+\/0/);
      return true;
    });
    assert.ok(Date.now() - t0 >= 250, "waited about its bound");
    await s.restart();
    // The restart lost k (no persistence): what matters is the reconnect without a new client.
    assert.equal(await c.run(10_000, (r) => r.set("k", "w")), "OK");
    await c.close();
  } finally {
    await s.stop();
  }
});
