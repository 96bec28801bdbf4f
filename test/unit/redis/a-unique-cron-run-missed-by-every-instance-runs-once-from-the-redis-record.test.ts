import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { openRedis } from "../../../core/redis/client.ts";
import { parseRedisUrl } from "../../../core/redis/url.ts";
import { UniqueCron } from "../../../core/cron/cluster.ts";
import { setClusterCron } from "../../../core/cron/cluster-hook.ts";
import { CronClock } from "../../../core/signals/cron-clock.ts";
import { parseCommandLine } from "../../../cmd/config.ts";

test("catchUp of a unique cron reads the last run from Redis: two instances starting after a missed run run it once in all", async () => {
  const s = await startRedis({ appendfsync: "off" });
  const config = parseCommandLine(["--mule"], {});
  try {
    const c = await openRedis(parseRedisUrl(s.url));
    const u = new UniqueCron(c, "test", 2_000);
    setClusterCron(u);
    const raised: string[] = [];
    const clock = (who: string) => new CronClock(config, { raise: () => raised.push(who), running: () => false, log: () => {} });
    // An instance ran "0 * * * *" two hours ago, then the whole fleet was down.
    const probe = clock("probe");
    probe.addSignal({ num: 9, expr: "0 * * * *", unique: "cluster" });
    const key = `signal 9 ${probe.stats()[0].schedule}`;
    await probe.stop(0);
    const hour = 3_600_000;
    assert.equal(await u.claim(key, new Date(Math.floor(Date.now() / hour) * hour - 2 * hour)), true);
    assert.equal(await u.claim(key, new Date(Math.floor(Date.now() / hour) * hour - 2 * hour)), false, "a slot is claimed once");
    const [a, b] = [clock("A"), clock("B")];
    a.addSignal({ num: 9, expr: "0 * * * *", catchUp: true, unique: "cluster" });
    b.addSignal({ num: 9, expr: "0 * * * *", catchUp: true, unique: "cluster" });
    for (let i = 0; i < 100 && raised.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(raised.length, 1, `the missed run ran once in all: ${raised}`);
    assert.equal(u.claimed, 2);
    await a.stop(0);
    await b.stop(0);
    // Without a Redis the option is refused at registration.
    setClusterCron(null);
    assert.throws(() => clock("C").addSignal({ num: 9, expr: "0 * * * *", unique: "cluster" }), /unique "cluster" needs --redis URL/);
    await c.close();
  } finally {
    setClusterCron(null);
    await s.stop();
  }
}, 30_000);
