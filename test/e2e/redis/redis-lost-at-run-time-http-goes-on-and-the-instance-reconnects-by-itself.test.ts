// Faults: Redis killed under a running instance: its HTTP workers keep
// answering, a cluster operation waits its bound (--mule-send-timeout) and
// fails with RedisUnavailable, and once Redis is back the instance reconnects
// by itself (it is listed in the fleet again, cluster signals run again).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { freePort, run, start, tmp, until } from "../lib.ts";

test("with Redis gone, HTTP goes on and cluster calls fail with RedisUnavailable after their bound; the instance reconnects by itself", async () => {
  const redis = await startRedis({ appendfsync: "off" });
  const out = tmp("mf-redis-lost-");
  const http = await freePort();
  const i = start(["--http", `127.0.0.1:${http}`, "--module", "test/fixtures/redis/cluster-app.ts", "--redis", redis.url, "--mule-send-timeout", "1"], { env: { OUT: out, INSTANCE: "A" } });
  const get = async (path: string) => (await fetch(`http://127.0.0.1:${http}${path}`, { signal: AbortSignal.timeout(20_000) })).text();
  const handled = () => (existsSync(`${out}/signals.log`) ? readFileSync(`${out}/signals.log`, "utf8").split("\n").filter(Boolean).length : 0);
  try {
    await until(async () => { try { return (await get("/")) === "ok"; } catch { return false; } }, 30_000, "the instance serving");
    await redis.kill9();
    await i.waitFor(/Redis redis:\/\/127\.0\.0\.1:\d+\/0 lost: reconnecting/);
    for (let k = 0; k < 20; k++) assert.equal(await get("/"), "ok", "HTTP workers keep answering");
    const t0 = Date.now();
    assert.match(await get("/raise/17"), /^RedisUnavailable: cluster signal 17 needs Redis within 1000 ms: got no connection to redis:\/\/127\.0\.0\.1:\d+\/0/);
    assert.ok(Date.now() - t0 >= 900, "it waited its bound");

    await redis.restart();
    await i.waitFor(/Redis redis:\/\/127\.0\.0\.1:\d+\/0 is back/);
    await until(async () => (await get("/raise/17")) === "raised", 10_000, "cluster signals work again");
    await until(() => handled() >= 1, 10_000, "the signal ran");
    await until(async () => { const r = await run(["status", "--redis", redis.url, "--json"]); return JSON.parse(r.output).some((m: any) => m.pid === i.pid); }, 10_000, "listed in the fleet again (the restarted Redis had lost it)");
  } finally {
    await i.stop();
    await redis.stop();
  }
}, 90_000);
