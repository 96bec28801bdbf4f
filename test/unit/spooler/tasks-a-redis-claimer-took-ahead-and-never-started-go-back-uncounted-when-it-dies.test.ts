import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { ctx } from "../../../core/runtime/context.ts";
import { pidIsAlive } from "../../../core/base/process.ts";
import { deadPid } from "./support/procs.ts";
import { withRedisStore } from "./redis-support.ts";

// In a spooler process (batch mode), a claimer with a backlog of short tasks
// claims several at once. If it dies, the tasks it had started count an
// attempt; those it only took ahead go back to their place uncounted.
test("tasks a Redis claimer took ahead and never started go back uncounted when it dies; started ones count", () =>
  withRedisStore(async (store, server, open) => {
    const address = `${server.url}#t`;
    await store.enqueueMany(Array.from({ length: 100 }, (_, i) => ({ name: "short", args: { i }, backoff: 0 })));
    const before = ctx.meta.dir;
    ctx.meta.dir = address; // what a spooler process of this spool has
    try {
      const claimer = await open({ owner: deadPid() });
      // A few short runs teach it that tasks are short: it starts claiming ahead.
      for (let i = 0; i < 5; i++) await claimer.complete((await claimer.claim())!);
      const first = (await claimer.claim())!;
      const second = (await claimer.claim())!; // handed out from what it took ahead
      await new Promise((r) => setTimeout(r, 100)); // its start mark lands
      const c = await store.counts();
      assert.ok(c.running > 2, `it took tasks ahead (running ${c.running})`);
      // It "dies": its pid is dead; nothing renews or hands back.
      (claimer as any).held.clear();
      (claimer as any).batch.ahead.length = 0;
      const r = await store.recover((pid) => pid !== process.pid && pidIsAlive(pid));
      assert.equal(r.requeued.length, c.running);
      const left = await store.list({ limit: 200 });
      assert.equal(left.running.count, 0);
      const attempts = new Map(left.pending.entries.map((e) => [e.id, e.task!.attempts]));
      assert.equal(attempts.get(first.id), 1, "the task it started counts an attempt");
      assert.equal(attempts.get(second.id), 1, "so does the one it started from its batch");
      const uncounted = [...attempts.values()].filter((a) => a === 0).length;
      assert.equal(uncounted, 95 - 2, "every other task, taken ahead or not, is uncounted");
    } finally {
      ctx.meta.dir = before;
    }
  }));
