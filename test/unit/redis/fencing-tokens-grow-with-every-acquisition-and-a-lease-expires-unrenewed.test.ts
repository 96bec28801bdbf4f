import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { openRedis } from "../../../core/redis/client.ts";
import { parseRedisUrl } from "../../../core/redis/url.ts";
import { ClusterLocks, LEASE_MS } from "../../../core/locks/cluster.ts";
import { LockError } from "../../../core/errors.ts";

test("cluster lock tokens grow with every acquisition across instances; a holder's death frees it; an unrenewed lease expires", async () => {
  const s = await startRedis({ appendfsync: "off" });
  const logs: string[] = [];
  try {
    const [ca, cb] = [await openRedis(parseRedisUrl(s.url)), await openRedis(parseRedisUrl(s.url))];
    const A = new ClusterLocks(ca, "A", 2_000, (l) => logs.push(l));
    const B = new ClusterLocks(cb, "B", 2_000, (l) => logs.push(l));
    const t1 = await A.lock(101, "x");
    await assert.rejects(A.lock(101, "x"), /not re-entrant/);
    await assert.rejects(B.lock(201, "x", 300), (e: unknown) => e instanceof LockError && /timed out after 300 ms waiting for cluster lock "x"/.test((e as Error).message));
    await assert.rejects(B.unlock(201, "x"), /cannot unlock cluster lock "x": not held by pid 201/);
    const waiting = B.lock(201, "x");
    await A.unlock(101, "x");
    const t2 = await waiting;
    assert.ok(t2 > t1, `${t2} > ${t1}`);
    // The holder dies: its master frees the lock at once.
    B.releaseAllOf(201, "worker 1");
    const t3 = await A.lock(102, "x", 2_000);
    assert.ok(t3 > t2);
    // A whole instance gone: nobody renews, the lease runs out.
    await A.stop(); // frees what it holds: take it again without a renewer
    const t4 = await B.lock(202, "x");
    (B as any).renewTimer && clearInterval((B as any).renewTimer);
    const t0 = Date.now();
    const C = new ClusterLocks(ca, "C", 2_000, () => {});
    const t5 = await C.lock(301, "x", LEASE_MS + 3_000);
    assert.ok(t5 > t4);
    assert.ok(Date.now() - t0 >= LEASE_MS - 1_500, `waited for the lease: ${Date.now() - t0} ms`);
    await C.stop();
    await ca.close();
    await cb.close();
  } finally {
    await s.stop();
  }
}, 30_000);
