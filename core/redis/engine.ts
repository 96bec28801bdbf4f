// The master's Redis engine: the fleet heartbeat, cluster locks, cluster
// signals, unique cron and the counters of caches on Redis. It is inert (and
// loads nothing of Redis) unless the instance names a Redis: --redis URL, or a
// --cache2 with store=redis://…. The work is in cluster-master.ts, imported
// only then.
import type { Config } from "../config.ts";
import { LockError, UsageError } from "../errors.ts";
import type { MasterApi, MasterEngine, Proc, Slot } from "../engine.ts";
import { parseCache2 } from "../cache/spec.ts";
import type { ClusterMaster, RedisEnginePeers } from "./cluster-master.ts";

export class RedisEngine implements MasterEngine {
  name = "redis";
  private impl: ClusterMaster | null = null;
  private readonly stores: Array<{ name: string; items: number; store: string }>;

  constructor(private config: Config, private peers: RedisEnginePeers) {
    this.stores = config.cache2.map((s) => parseCache2(s)).filter((c) => c.store).map((c) => ({ ...c, store: c.store! }));
    if (!config.redis) {
      const line = config.cron2s.find((l) => /(^|,)unique=cluster(,|$)/.test(l.trim().split(/\s/)[0]));
      if (line !== undefined) throw new UsageError(`--cron2 unique=cluster needs --redis URL (the Redis the instances share): in "${line}"`);
    }
  }

  private need(what: string): ClusterMaster {
    if (!this.impl?.hasRedis) throw new LockError(`${what} need --redis URL (this instance names no Redis)`);
    return this.impl;
  }

  requests = {
    "cluster.lock": (slot: Slot, a: { name: string; pid?: number; timeoutMs?: number }) => this.need("cluster locks").locks!.lock(holderPid(slot, a.pid), a.name, a.timeoutMs ?? Infinity),
    "cluster.unlock": (slot: Slot, a: { name: string; pid?: number }) => this.need("cluster locks").locks!.unlock(holderPid(slot, a.pid), a.name),
    "cluster.signal": (slot: Slot, a: { num: number }) => this.need("cluster signals").signals!.raise(a.num, `${slot.role}${slot.id}`),
  };

  async start(api: MasterApi) {
    if (!this.config.redis && !this.stores.length) return;
    const { startCluster } = await import("./cluster-master.ts");
    this.impl = await startCluster(api, this.peers, this.config.redis, this.stores);
  }

  attach() {
    this.impl?.changed();
  }

  detach(slot: Slot, proc: Proc) {
    this.impl?.locks?.releaseAllOf(proc.pid, `${slot.role} ${slot.id}`);
    this.impl?.changed();
  }

  stats(doc: Record<string, any>) {
    this.impl?.stats(doc);
  }

  async stop() {
    await this.impl?.stop();
  }
}

/** The requesting process: the pid it gave if it is one of its slot's processes (old ones during a chain reload too). */
function holderPid(slot: Slot, pid: number | undefined): number {
  if (pid && (slot.current?.pid === pid || slot.old.some((p) => p.pid === pid))) return pid;
  return slot.current?.pid ?? 0;
}
