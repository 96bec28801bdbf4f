// Every key mulefarm's cluster engines write, in one place, so an operator can
// find them (`redis-cli --scan --pattern 'mf:*'`) and two engines never collide.
// Keys one Lua script touches together share a hash tag ({...}), so the
// scripts keep working on Redis Cluster.

/** Sorted set of instance ids by last heartbeat (ms). */
export const FLEET = "mf:{fleet}:members";
/** One instance's heartbeat document (JSON), expiring with its TTL. */
export const fleetNode = (id: string) => `mf:{fleet}:node:${id}`;

/** A cluster lock's holder value, and its fencing counter (same slot). */
export const lockKey = (name: string) => `mf:{lock:${name}}:holder`;
export const lockFence = (name: string) => `mf:{lock:${name}}:fence`;
/** Pub/sub channel a released lock's name is published on (wakes waiters of every instance). */
export const LOCK_RELEASED = "mf:lock:released";

/** The stream every instance reads cluster signals from. */
export const SIGNALS = "mf:{sig}:stream";

/** A unique cron's claim of one scheduled time, and its last-run record. */
export const cronSlot = (key: string, atMs: number) => `mf:{cron:${key}}:slot:${atMs}`;
export const cronLast = (key: string) => `mf:{cron:${key}}:last`;

/** A Redis cache's values (hash), expiry index (sorted set) and counters (hash). */
export const cacheValues = (name: string) => `mf:{cache:${name}}:v`;
export const cacheIndex = (name: string) => `mf:{cache:${name}}:x`;
export const cacheStatsKey = (name: string) => `mf:{cache:${name}}:stats`;
