import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { openRedis } from "../../../core/redis/client.ts";
import { parseRedisUrl } from "../../../core/redis/url.ts";
import { UniqueCron } from "../../../core/cron/cluster.ts";
import { setClusterCron } from "../../../core/cron/cluster-hook.ts";
import { CronClock } from "../../../core/signals/cron-clock.ts";
import { parseCommandLine } from "../../../cmd/config.ts";

test("catchUp of a unique cron reads the last run from Redis: of two instances starting after a missed run, the first runs it, once", async () => {
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
    const missed = new Date(Math.floor(Date.now() / hour) * hour - 2 * hour);
    assert.equal(await u.claim(key, missed), true);
    assert.equal(await u.claim(key, missed), true, "a claim sent again (after a reconnect) by its winner still wins");
    assert.equal(await new UniqueCron(c, "other", 2_000).claim(key, missed), false, "another instance loses it");
    // Instance A starts: it runs the missed run; then instance B starts: the run is done.
    const ua = new UniqueCron(c, "A", 2_000), ub = new UniqueCron(c, "B", 2_000);
    setClusterCron(ua);
    const a = clock("A");
    a.addSignal({ num: 9, expr: "0 * * * *", catchUp: true, unique: "cluster" });
    for (let i = 0; i < 100 && raised.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    setClusterCron(ub);
    const b = clock("B");
    b.addSignal({ num: 9, expr: "0 * * * *", catchUp: true, unique: "cluster" });
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(raised, ["A"], "the missed run ran once in all");
    assert.equal(ua.claimed, 1);
    assert.equal(ub.claimed, 0);
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
