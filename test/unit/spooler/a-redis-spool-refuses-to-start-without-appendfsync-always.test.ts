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

test("a Redis spool opened while its Redis is down waits for it, then works", async () => {
  const s = await startRedis({ appendfsync: "always" });
  try {
    await s.kill9();
    const opening = openStore(`${s.url}#t`);
    await new Promise((r) => setTimeout(r, 300));
    await s.restart();
    const store = await opening;
    const id = await store.enqueue({ name: "after" });
    assert.equal((await store.claim())?.id, id);
    await store.close();
  } finally {
    await s.stop();
  }
}, 30_000);
