// Unique cron across instances: a schedule marked unique "cluster" runs once
// per scheduled time whichever instances on the Redis are alive. Each
// instance's clock fires as usual; before running, it claims the slot
// (SET NX on "schedule key + scheduled time"): the first claim wins, the others
// skip quietly. The last run is recorded in Redis, so catchUp works without a
// spool dir and whichever instance starts first runs the missed one (once).
//
// With Redis unreachable at fire time, the run is skipped (with a log line):
// running it everywhere would break "once"; at-most-once is kept.
import type { RedisClient } from "../redis/client.ts";
import { cronLast, cronSlot } from "../redis/keys.ts";

/** How long a slot claim is kept: long past any clock skew between instances. */
const SLOT_TTL_MS = 10 * 60_000;

export class UniqueCron {
  claimed = 0;
  lost = 0;

  constructor(private c: RedisClient, private instance: string, private boundMs: number) {}

  /** True when this instance won scheduled time `at` of schedule `key`. Rejects when Redis is unreachable. */
  async claim(key: string, at: Date): Promise<boolean> {
    // NX GET (Redis 7): the previous holder, or null when this call set it. A claim
    // re-sent after a reconnect finds its own id: still won, not lost by everyone.
    const prev = await this.c.run(this.boundMs, (r) => r.call("SET", cronSlot(key, at.getTime()), this.instance, "PX", String(SLOT_TTL_MS), "NX", "GET"), `unique cron ${key}`);
    const won = prev === null || String(prev) === this.instance;
    if (won) {
      this.claimed++;
      // The last-run record only moves forward (two claimers of different slots may write out of order).
      await this.c.run(this.boundMs, (r) => r.eval(
        "local v = tonumber(redis.call('GET', KEYS[1]) or '0') if tonumber(ARGV[1]) > v then redis.call('SET', KEYS[1], ARGV[1]) end return 1",
        1, cronLast(key), String(at.getTime())));
    } else this.lost++;
    return won;
  }

  /** The last scheduled time any instance ran `key`, or null. */
  async lastFired(key: string): Promise<Date | null> {
    const v = await this.c.run(this.boundMs, (r) => r.get(cronLast(key)), `unique cron ${key}`);
    return v ? new Date(Number(v)) : null;
  }
}
