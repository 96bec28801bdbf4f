import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { spoolKeys } from "../../../core/spooler/redis/keys.ts";
import { withRedisStore } from "./redis-support.ts";

// One hash tag = one Cluster slot: every script may touch every key of its spool.
test("every key a Redis spool writes carries the spool's hash tag {mf:NAME}", () =>
  withRedisStore(async (store, server) => {
    await store.enqueue({ name: "a", key: "k" });
    await store.enqueue({ name: "b", at: Date.now() + 60_000 });
    const c = (await store.claim())!;
    await store.fail(c, "x");
    const keys: string[] = await (store as any).client.redis.keys("*");
    assert.ok(keys.length >= 5, keys.join(" "));
    for (const k of keys) assert.ok(k.startsWith("{mf:jobs}:"), `${k} has the hash tag`);
    for (const k of spoolKeys("jobs").list) assert.ok(k.startsWith("{mf:jobs}:"));
    void server;
  }, { name: "jobs" }));
