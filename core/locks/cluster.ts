// Named locks across every instance on one Redis (the master's side). A child
// asks its master (IPC request "cluster.lock"); the master takes the lock in
// Redis for that child's pid, renews its lease while held, and frees it:
// - when the child unlocks;
// - at once when the child dies (the master reaps it: detach → releaseAllOf);
// - by lease expiry when the whole instance dies (nobody renews it), within
//   LEASE_MS.
// Each acquisition returns a fencing token (INCR, strictly increasing per
// name): a holder that lost its lease (Redis unreachable longer than the lease)
// cannot know it in time, so writes it guards should carry the token and the
// storage should refuse a smaller one than it has seen.
import { LockError, oneLine, refused } from "../errors.ts";
import type { IORedis, RedisClient } from "../redis/client.ts";
import { LOCK_RELEASED, lockFence, lockKey } from "../redis/keys.ts";
import { randomHex } from "../base/random.ts";
import { unrefTimer } from "../base/timers.ts";

export const LEASE_MS = 5_000;
const RENEW_MS = Math.floor(LEASE_MS / 3);

// Idempotent: a re-sent acquire (after a reconnect) that already took the lock answers the same token.
const ACQUIRE = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then return tonumber(redis.call('GET', KEYS[2]) or '0') end
if v then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return redis.call('INCR', KEYS[2])`;
// Publishes the name so that waiters in every instance try again at once instead of at their next poll.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) redis.call('PUBLISH', '${LOCK_RELEASED}', ARGV[2]) return 1 end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** A lock name as users write it: letters, digits and _ . : - / (1 to 200). */
export function checkLockName(name: unknown): string {
  if (typeof name !== "string" || !/^[A-Za-z0-9_.:\/-]{1,200}$/.test(name)) {
    throw new LockError(refused("cluster lock name must be 1 to 200 letters, digits or _ . : - /", name));
  }
  return name;
}

interface Held { name: string; pid: number; value: string; fence: number; since: number }

export class ClusterLocks {
  private held = new Map<string, Held>();
  /** Pids that died while waiting: their pending acquisitions give up (and free what they got). */
  private gone = new Set<number>();
  private renewTimer: ReturnType<typeof setInterval>;
  /** Waiters by lock name: woken when a release of that name is published. */
  private wakers = new Map<string, Set<() => void>>();

  /** `sub`: a subscriber connection for release notices (optional: without it, waiters only poll). */
  constructor(private c: RedisClient, private instance: string, private boundMs: number, private log: (line: string) => void, private sub?: RedisClient) {
    this.renewTimer = unrefTimer(setInterval(() => void this.renew(), RENEW_MS));
    if (sub) {
      sub.redis.on("message", (_ch: string, name: string) => { for (const w of this.wakers.get(name) ?? []) w(); });
      // ioredis subscribes again by itself after a reconnect (autoResubscribe).
      void sub.run(60_000, (r) => r.subscribe(LOCK_RELEASED)).catch(() => {});
    }
  }

  /** Sleeps `ms`, or less if a release of `name` is published meanwhile. */
  private nap(name: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.wakers.get(name) ?? new Set();
      this.wakers.set(name, set);
      const done = () => { clearTimeout(t); set.delete(done); if (!set.size) this.wakers.delete(name); resolve(); };
      const t = setTimeout(done, ms);
      set.add(done);
    });
  }

  private eval(script: string, keys: string[], args: (string | number)[]): Promise<number> {
    return this.c.run(this.boundMs, (r: IORedis) => r.eval(script, keys.length, ...keys, ...args) as Promise<number>, "a cluster lock");
  }

  /** Waits for lock `name` for process `pid`; resolves with its fencing token. LockError after `timeoutMs`. */
  async lock(pid: number, name: string, timeoutMs = Infinity): Promise<number> {
    checkLockName(name);
    const mine = this.held.get(name);
    if (mine && mine.pid === pid) throw new LockError(`cluster lock "${name}" is already held by this process (pid ${pid}): locks are not re-entrant`);
    this.gone.delete(pid);
    const value = `${this.instance}:${pid}:${randomHex(6)}`;
    const start = Date.now();
    let nap = 5;
    for (;;) {
      const fence = Number(await this.eval(ACQUIRE, [lockKey(name), lockFence(name)], [value, LEASE_MS]));
      if (fence > 0) {
        if (this.gone.has(pid)) {
          await this.eval(RELEASE, [lockKey(name)], [value, name]).catch(() => 0);
          throw new LockError(`cluster lock "${name}": pid ${pid} died while waiting`);
        }
        this.held.set(name, { name, pid, value, fence, since: Date.now() });
        return fence;
      }
      if (this.gone.has(pid)) throw new LockError(`cluster lock "${name}": pid ${pid} died while waiting`);
      if (Date.now() - start >= timeoutMs) throw new LockError(`timed out after ${timeoutMs} ms waiting for cluster lock "${name}"`);
      // A published release wakes at once; else poll, 5 ms doubling to 250 ms with jitter (a missed notice costs at most that).
      await this.nap(name, nap * (0.5 + Math.random()));
      nap = Math.min(nap * 2, 250);
    }
  }

  /** Releases `name` held by `pid`; LockError when it does not hold it. */
  async unlock(pid: number, name: string): Promise<void> {
    checkLockName(name);
    const h = this.held.get(name);
    if (!h || h.pid !== pid) throw new LockError(`cannot unlock cluster lock "${name}": not held by pid ${pid}${h ? ` (held by pid ${h.pid})` : ""}`);
    this.held.delete(name);
    const ok = await this.eval(RELEASE, [lockKey(name)], [h.value, name]);
    if (!ok) this.log(`cluster lock "${name}" had already expired when pid ${pid} unlocked it (lease ${LEASE_MS} ms not renewed: Redis unreachable?)`);
  }

  /** A child died: what it held is freed now, what it waited for is given up. */
  releaseAllOf(pid: number, who: string): void {
    this.gone.add(pid);
    unrefTimer(setTimeout(() => this.gone.delete(pid), 10 * 60_000));
    for (const h of [...this.held.values()]) {
      if (h.pid !== pid) continue;
      this.held.delete(h.name);
      this.eval(RELEASE, [lockKey(h.name)], [h.value, h.name]).then(
        () => this.log(`cluster lock "${h.name}" released: its holder ${who} (pid ${pid}) died`),
        (e) => this.log(`cluster lock "${h.name}" of dead ${who} (pid ${pid}): cannot release (${oneLine(e)}); it expires within ${LEASE_MS} ms`),
      );
    }
  }

  private async renew(): Promise<void> {
    if (!this.held.size || !this.c.up) return;
    for (const h of [...this.held.values()]) {
      try {
        const ok = await this.eval(RENEW, [lockKey(h.name)], [h.value, LEASE_MS]);
        if (!ok && this.held.get(h.name) === h) {
          this.held.delete(h.name);
          this.log(`cluster lock "${h.name}" of pid ${h.pid} was lost: its lease expired (Redis unreachable longer than ${LEASE_MS} ms); token ${h.fence} is stale`);
        }
      } catch { /* Redis down: the next round tries again */ }
    }
  }

  stats(): Array<{ name: string; pid: number; token: number; since: number }> {
    return [...this.held.values()].map((h) => ({ name: h.name, pid: h.pid, token: h.fence, since: Math.floor(h.since / 1000) }));
  }

  async stop(): Promise<void> {
    clearInterval(this.renewTimer);
    await Promise.all([...this.held.values()].map((h) => this.eval(RELEASE, [lockKey(h.name)], [h.value, h.name]).catch(() => 0)));
    this.held.clear();
    await this.sub?.close();
  }
}
