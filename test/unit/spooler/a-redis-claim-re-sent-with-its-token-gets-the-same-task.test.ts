import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { withRedisStore } from "./redis-support.ts";

// ioredis re-sends a command whose reply was lost in a reconnect; the claim
// script then runs twice with the same token and must hand out the same task,
// not a second one that nobody would ever run or renew.
test("a Redis claim re-sent with the same token returns the same task and takes no other", () =>
  withRedisStore(async (store: any) => {
    await store.enqueue({ name: "one" });
    await store.enqueue({ name: "two" });
    const keys = store.keys.list;
    const args = [Date.now(), "tok-1", "host/1", 5000];
    const first = await store.client.redis.mfClaim(...keys, ...args);
    const again = await store.client.redis.mfClaim(...keys, ...args);
    assert.equal(again[0], first[0], "the same task id");
    const c = await store.counts();
    assert.deepEqual([c.pending, c.running], [1, 1], "one task running, the other still pending");
  }));
