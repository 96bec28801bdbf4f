// The child's side of cluster locks: each call is a request to the master,
// which holds the lock in Redis for this process (core/locks/cluster.ts).
import { LockError, refused } from "../errors.ts";
import { ctx } from "../runtime/context.ts";
import { checkLockName } from "./cluster.ts";

export interface ClusterLockOptions {
  /** Give up after this many seconds with LockError (default: wait as long as it takes). */
  timeout?: number;
}

function master<T>(op: string, args: unknown): Promise<T> {
  if (!ctx.channel) return Promise.reject(new LockError(`cluster locks need a running mulefarm instance started with --redis URL`));
  return ctx.channel.request<T>(op, args);
}

/**
 * Waits for the cluster lock `name` (held across every instance on --redis)
 * and resolves with its fencing token: a number larger than any token of an
 * earlier holder of `name`. Freed by clusterUnlock, at once when this process
 * dies, or within the lease (5 s) when the whole instance dies.
 *
 * @example
 * const token = await clusterLock("billing");
 * try { await db.write({ token }) } finally { await clusterUnlock("billing") }
 */
export function clusterLock(name: string, opts: ClusterLockOptions = {}): Promise<number> {
  checkLockName(name);
  const t = opts.timeout;
  if (t !== undefined && !(typeof t === "number" && t >= 0 && Number.isFinite(t))) throw new LockError(refused("cluster lock timeout must be a non-negative number of seconds", t));
  // The pid says which process holds it (during a chain reload a slot has two).
  return master<number>("cluster.lock", { name, pid: process.pid, timeoutMs: t === undefined ? undefined : t * 1000 });
}

/** Releases the cluster lock `name`; LockError when this process does not hold it. */
export function clusterUnlock(name: string): Promise<void> {
  checkLockName(name);
  return master<void>("cluster.unlock", { name, pid: process.pid });
}

/** Runs `fn` under the cluster lock `name`, releasing it however fn ends; fn gets the fencing token. */
export async function withClusterLock<T>(name: string, fn: (token: number) => T | Promise<T>, opts: ClusterLockOptions = {}): Promise<T> {
  const token = await clusterLock(name, opts);
  try {
    return await fn(token);
  } finally {
    await clusterUnlock(name);
  }
}
