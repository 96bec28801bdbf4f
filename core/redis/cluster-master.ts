// What the master does when its instance names a Redis (see engine.ts): the
// start-up check (unreachable: one line, exit 1), the heartbeat and listing of
// the fleet, and the cluster engines' master sides.
import { hostname } from "node:os";
import type { MasterApi } from "../engine.ts";
import type { MasterEngine } from "../engine.ts";
import { oneLine } from "../errors.ts";
import { VERSION } from "../version.ts";
import { adapter } from "../adapter/index.ts";
import { randomHex } from "../base/random.ts";
import { checkRedis, openRedis, type RedisClient, shownUrl } from "./client.ts";
import { parseRedisUrl } from "./url.ts";
import { beat, type FleetMember, HEARTBEAT_MS, leave, listFleet } from "./fleet.ts";
import { ClusterLocks } from "../locks/cluster.ts";
import { ClusterSignals } from "../signals/cluster.ts";
import { UniqueCron } from "../cron/cluster.ts";
import { setClusterCron } from "../cron/cluster-hook.ts";
import { RedisCache } from "../cache/redis.ts";

/** What the Redis engine needs of other engines (handed over in core/master/engines.ts). */
export interface RedisEnginePeers {
  /** Routes a signal read from the cluster stream as a local raise. */
  signals: { route(num: number, why: string): unknown };
  /** Engines whose stats() give queue depths for the fleet heartbeat (spooler, mules). */
  queues: Array<Pick<MasterEngine, "stats">>;
}

export interface ClusterMaster {
  hasRedis: boolean;
  locks?: ClusterLocks;
  signals?: ClusterSignals;
  stats(doc: Record<string, any>): void;
  /** A process started or ended: the fleet hears of it now, not at the next heartbeat. */
  changed(): void;
  stop(): Promise<void>;
}

export async function startCluster(api: MasterApi, peers: RedisEnginePeers, url: string | undefined, stores: Array<{ name: string; items: number; store: string }>): Promise<ClusterMaster> {
  const boundMs = api.config.muleSendTimeout * 1000;
  // Every Redis named is checked before any child starts.
  if (url) await checkRedis(parseRedisUrl(url, "--redis"), "--redis");
  for (const s of new Set(stores.map((c) => c.store))) await checkRedis(parseRedisUrl(s, "--cache2 store"), `--cache2 store`);
  const caches = stores.map((c) => new RedisCache(c, boundMs));
  const refreshCaches = () => { for (const c of caches) void c.refreshStats().catch(() => {}); };
  refreshCaches();
  const cacheTimer = setInterval(refreshCaches, HEARTBEAT_MS);
  if (!url) {
    return {
      hasRedis: false,
      stats(doc) { (doc.caches ??= []).push(...caches.map((c) => c.stats())); },
      changed() {},
      async stop() { clearInterval(cacheTimer); await Promise.all(caches.map((c) => c.close())); },
    };
  }

  const addr = parseRedisUrl(url, "--redis");
  const id = `${hostname()}:${process.pid}:${randomHex(3)}`;
  const client: RedisClient = await openRedis(addr, { name: `mf:master:${process.pid}` });
  await client.ready(5_000, "joining the fleet");
  let wasDown = false;
  client.onState((up) => {
    if (!up && !wasDown) { wasDown = true; api.log(`Redis ${shownUrl(addr)} lost: reconnecting (HTTP workers and local engines go on)`); }
    if (up && wasDown) { wasDown = false; api.log(`Redis ${shownUrl(addr)} is back`); }
  });

  const locks = new ClusterLocks(client, id, boundMs, api.log, await client.duplicate("subscriber", `mf:locks:${process.pid}`));
  const reader = await client.duplicate("blocking", `mf:signals:${process.pid}`);
  const signals = new ClusterSignals(client, reader, boundMs, (num) => {
    peers.signals.route(num, "cluster");
  }, api.log);
  await signals.start();
  const cron = new UniqueCron(client, id, boundMs);
  setClusterCron(cron);

  let fleet: FleetMember[] = [];
  const startedOn = Math.floor(Date.now() / 1000);
  const member = (): FleetMember => {
    const roles: Record<string, number> = {};
    for (const s of api.slots) if (s.current) roles[s.role] = (roles[s.role] ?? 0) + 1;
    const queues: Record<string, number> = {};
    try {
      const d: Record<string, any> = { mules: [] };
      for (const e of peers.queues) e.stats?.(d);
      for (const s of d.spoolers ?? []) queues[`spooler ${s.dir}`] = Number(s.pending ?? 0);
      for (const f of d.farms ?? []) queues[`farm ${f.name}`] = Number(f.queue ?? 0);
      if (d.mule_shared_queue !== undefined) queues["mules (shared)"] = Number(d.mule_shared_queue);
    } catch { /* an engine's stats are best effort here */ }
    return { id, host: hostname(), pid: process.pid, version: VERSION, runtime: adapter.version, started_on: startedOn, stats: api.config.stats ?? null, roles, queues, seen: Date.now() };
  };
  let beating = false;
  const tick = async () => {
    if (beating) return; // a slow Redis: one heartbeat at a time
    beating = true;
    try {
      await beat(client, member(), Math.min(boundMs, HEARTBEAT_MS));
      fleet = await listFleet(client, Math.min(boundMs, HEARTBEAT_MS));
    } catch { /* Redis down: onState logs it; the next beat tries again */ } finally { beating = false; }
  };
  await tick();
  const beatTimer = setInterval(() => void tick(), HEARTBEAT_MS);
  let soon: ReturnType<typeof setTimeout> | null = null;
  api.log(`joined the fleet on ${shownUrl(addr)} as ${id} (${fleet.length} instance${fleet.length === 1 ? "" : "s"})`);

  return {
    hasRedis: true,
    locks,
    signals,
    changed() {
      soon ??= setTimeout(() => { soon = null; void tick(); }, 100);
    },
    stats(doc) {
      if (caches.length) (doc.caches ??= []).push(...caches.map((c) => c.stats()));
      doc.fleet = {
        redis: shownUrl(addr),
        instance: id,
        connected: client.up,
        members: fleet.map((m) => ({ ...m, self: m.id === id })),
        cluster_locks: locks.stats(),
        cluster_signals: { raised: signals.raised, received: signals.received },
        unique_cron: { claimed: cron.claimed, lost: cron.lost },
      };
    },
    async stop() {
      clearInterval(beatTimer);
      clearInterval(cacheTimer);
      if (soon) clearTimeout(soon);
      setClusterCron(null);
      await locks.stop().catch(() => {});
      await signals.stop().catch(() => {});
      await leave(client, id, 1_000).catch((e) => api.log(`leaving the fleet: ${oneLine(e)}`));
      await Promise.all(caches.map((c) => c.close()));
      await client.close();
    },
  };
}
