import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { openStore } from "../../../core/spooler/open.ts";

// Durable accept keeps its meaning: a Redis that does not fsync every write is
// refused (exit 2, one line saying what to set) unless --spooler-sync none.
test("a Redis spool refuses a Redis without appendfsync always unless sync is none, in one line", async () => {
  for (const fsync of ["everysec", "off"] as const) {
    const s = await startRedis({ appendfsync: fsync });
    try {
      const e: any = await openStore(`${s.url}#t`).then(() => null, (e) => e);
      assert.equal(e?.code, "RedisNotDurable");
      assert.equal(e.exitCode, 2);
      assert.doesNotMatch(e.message, /\n/);
      assert.match(e.message, /appendonly yes and appendfsync always/);
      assert.match(e.message, /--spooler-sync none/);
      const store = await openStore(`${s.url}#t`, { sync: "none" });
      assert.equal(store.sync, "none");
      await store.close();
      const inspect = await openStore(`${s.url}#t`, { inspect: true });
      await inspect.close();
    } finally {
      await s.stop();
    }
  }
});

test("a Redis spool whose Redis is down fails to open with one line naming the URL and the reason", async () => {
  const e: any = await openStore("redis://127.0.0.1:1/0#t").then(() => null, (e) => e);
  assert.equal(e?.code, "RedisUnreachable");
  assert.equal(e.exitCode, 1);
  assert.match(e.message, /redis:\/\/127\.0\.0\.1:1\/0/);
  assert.match(e.message, /ECONNREFUSED|refused/i);
  assert.doesNotMatch(e.message, /\n/);
});
