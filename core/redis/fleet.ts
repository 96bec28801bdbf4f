// The fleet: every instance on one Redis writes a heartbeat (host, pid,
// version, roles, queue depths) that expires unless renewed, and indexes
// itself in one sorted set. `mulefarm status --redis URL` and each instance's
// stats read the same listing. An instance that stops cleanly removes itself;
// one that dies drops out when its heartbeat expires (TTL_MS).
import type { RedisClient } from "./client.ts";
import { FLEET, fleetNode } from "./keys.ts";

export const HEARTBEAT_MS = 2_000;
export const TTL_MS = 10_000;

export interface FleetMember {
  id: string;
  host: string;
  pid: number;
  version: string;
  runtime: string;
  started_on: number;
  /** The instance's --stats address, if any (what `mulefarm status --stats` takes). */
  stats: string | null;
  /** Live processes per role: { worker: 4, mule: 2, spooler: 1 }. */
  roles: Record<string, number>;
  /** Queue depths the instance knows: spool dirs/names → pending tasks, mule queues → messages. */
  queues: Record<string, number>;
  /** Unix ms of the heartbeat. */
  seen: number;
}

/** Writes one heartbeat and prunes index entries whose heartbeat expired. One round trip. */
export async function beat(c: RedisClient, m: FleetMember, boundMs: number): Promise<void> {
  await c.run(boundMs, (r) => r.multi()
    .set(fleetNode(m.id), JSON.stringify(m), "PX", TTL_MS)
    .zadd(FLEET, m.seen, m.id)
    .zremrangebyscore(FLEET, "-inf", m.seen - 3 * TTL_MS)
    .exec(), "the fleet heartbeat");
}

/** Removes this instance from the fleet (clean stop). */
export async function leave(c: RedisClient, id: string, boundMs: number): Promise<void> {
  await c.run(boundMs, (r) => r.multi().del(fleetNode(id)).zrem(FLEET, id).exec(), "leaving the fleet");
}

/** Every instance whose heartbeat has not expired, oldest start first. Two round trips. */
export async function listFleet(c: RedisClient, boundMs: number): Promise<FleetMember[]> {
  return c.run(boundMs, async (r) => {
    const ids = await r.zrange(FLEET, "0", "-1");
    if (!ids.length) return [];
    const docs = await r.mget(...ids.map(fleetNode));
    const out: FleetMember[] = [];
    docs.forEach((d) => { if (d) { try { out.push(JSON.parse(String(d))); } catch { /* a foreign writer's key: skipped */ } } });
    return out.sort((a, b) => a.started_on - b.started_on || a.id.localeCompare(b.id));
  }, "listing the fleet");
}
