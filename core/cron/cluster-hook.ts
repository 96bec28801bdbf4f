// Where the cron clock finds the cluster (unique cron) when the instance has
// a Redis: set by the master's Redis engine at start, null otherwise. A plain
// slot, so the clock needs nothing of Redis to load.
export interface ClusterCron {
  /** True when this instance won scheduled time `at` of `key` (and so runs it). */
  claim(key: string, at: Date): Promise<boolean>;
  /** The last scheduled time any instance ran `key`. */
  lastFired(key: string): Promise<Date | null>;
}

let hook: ClusterCron | null = null;
export function setClusterCron(h: ClusterCron | null): void { hook = h; }
export function clusterCron(): ClusterCron | null { return hook; }
