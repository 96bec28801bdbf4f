import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { run } from "../lib.ts";
import { openStore } from "../../../core/spooler/open.ts";

// `mulefarm spool ls|show|retry|purge redis://…#NAME`: the same commands as for
// a directory, on the shared queue (seeded here through the store itself).
test("mulefarm spool ls, show, retry and purge work on a Redis spool", async () => {
  const redis = await startRedis({ appendfsync: "always" });
  const address = `${redis.url}#cli`;
  const store = await openStore(address);
  try {
    await store.enqueue({ name: "alpha", args: { n: 1 } });
    await store.enqueue({ name: "beta", priority: 2, at: Date.now() + 3_600_000 });
    const doomed = await store.enqueue({ name: "gamma", priority: 1 });
    const c = (await store.claim())!;
    assert.equal(c.id, doomed);
    await store.fail(c, "boom: it broke");

    const ls = await run(["spool", "ls", address]);
    assert.equal(ls.code, 0, ls.output);
    assert.match(ls.output, /pending \(2\)/);
    assert.match(ls.output, /failed \(1\)/);
    assert.match(ls.output, /alpha/);
    assert.match(ls.output, /beta .*priority 2/);
    assert.match(ls.output, /gamma .*attempts 1.*error: boom: it broke/);

    const show = await run(["spool", "show", address, doomed]);
    assert.equal(show.code, 0, show.output);
    const doc = JSON.parse(show.output);
    assert.equal(doc.state, "failed");
    assert.equal(doc.task.name, "gamma");
    assert.equal(doc.task.lastError, "boom: it broke");

    const retry = await run(["spool", "retry", address, "--failed"]);
    assert.equal(retry.code, 0, retry.output);
    assert.match(retry.output, /1 failed task\(s\) queued again/);
    assert.deepEqual(await store.counts(), { pending: 3, running: 0, failed: 0, quarantined: 0 });

    const again = (await store.claim())!;
    assert.equal(again.id, doomed, "retried, with its priority kept");
    assert.equal(again.task.attempts, 0, "attempts reset");
    await store.fail(again, "boom again");
    const purge = await run(["spool", "purge", address, "--failed"]);
    assert.equal(purge.code, 0, purge.output);
    assert.match(purge.output, /1 failed task\(s\) deleted/);
    assert.deepEqual(await store.counts(), { pending: 2, running: 0, failed: 0, quarantined: 0 });
  } finally {
    await store.close();
    await redis.stop();
  }
}, 60_000);
