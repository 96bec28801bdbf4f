import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { RedisSpoolStore } from "../../../core/spooler/redis/store.ts";
import { withRedisStore } from "./redis-support.ts";

// A whole instance that dies (SIGKILL of master and children, a machine that
// vanishes) stops renewing its leases: the next claim anywhere re-queues the
// task with the attempt counted, and the dead claim cannot settle it any more.
test("a Redis claim whose lease expires is claimed again elsewhere, attempt counted; the old claim cannot complete", () =>
  withRedisStore(async (store) => {
    const s = store as RedisSpoolStore;
    // Another instance on another host, with a short lease and no renewal (it "died").
    const dead = new RedisSpoolStore(s.address, await s.client.duplicate("command"), { leaseMs: 300 });
    await s.enqueue({ name: "job", backoff: 0 });
    const held = (await dead.claim())!;
    (dead as any).held.clear();
    assert.equal(await s.claim(), null, "held while the lease runs");
    const recovered = await s.recover(() => true); // its pid is not on this host's books: only the lease counts
    assert.deepEqual(recovered.requeued, [], "not before the lease expired");
    await new Promise((r) => setTimeout(r, 400));
    const again = await s.claim();
    assert.equal(again?.id, held.id, "the same task runs again");
    assert.equal(again?.task.attempts, 1, "the lost attempt is counted");
    assert.match(again!.task.lastError!, /lease expired/);
    await assert.rejects(dead.complete(held), /no longer held/);
    await s.complete(again!);
    assert.deepEqual(await s.counts(), { pending: 0, running: 0, failed: 0, quarantined: 0 });
    await dead.close();
  }));

test("a Redis claim that is renewed outlives its lease", () =>
  withRedisStore(async (store) => {
    const s = store as RedisSpoolStore;
    const other = new RedisSpoolStore(s.address, await s.client.duplicate("command"), { leaseMs: 300 });
    await s.enqueue({ name: "long" });
    const held = (await other.claim())!;
    await new Promise((r) => setTimeout(r, 900)); // three leases, renewed every 100 ms
    assert.equal(await s.claim(), null, "still held");
    await other.complete(held);
    await other.close();
  }));
