import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { withRedisStore } from "./redis-support.ts";

// Two instances on one Redis share nothing but Redis: a claimer idle in
// waitForWork on B must end its wait as soon as A accepts a task (a marker on
// the spool's wake list), not at its timeout.
test("a task accepted by one Redis store ends another store's waitForWork within milliseconds", () =>
  withRedisStore(async (a, _server, open) => {
    const b = await open();
    assert.equal(await b.claim(), null); // empties the wake list
    for (let round = 0; round < 3; round++) {
      const t0 = performance.now();
      const waiting = b.waitForWork(10_000);
      await new Promise((r) => setTimeout(r, 50));
      await a.enqueue({ name: "hop", args: { round } });
      await waiting;
      const ms = performance.now() - t0 - 50;
      assert.ok(ms < 2000, `woken after ${Math.round(ms)} ms, not at the 10 s timeout`);
      const c = await b.claim();
      assert.equal(c?.task.args.round, round);
      await b.complete(c!);
      assert.equal(await b.claim(), null);
    }
  }));
