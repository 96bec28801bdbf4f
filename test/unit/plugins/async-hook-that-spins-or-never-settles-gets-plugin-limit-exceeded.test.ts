import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { PluginLimitExceeded } from "../../../core/errors.ts";
import { loadPlugin } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("an async hook that spins after an await hits the CPU limit; one that never settles hits the wall-time limit; both leave the plugin usable", async () => {
  const p = await loadPlugin(FIX + "spin.ts", { grants: [], host: {}, limits: { wallMsPerCall: 300 } });
  try {
    await assert.rejects(p.call("onTask", { kind: "spin" }), (e: Error) => {
      assert.ok(e instanceof PluginLimitExceeded, `${e.name}: ${e.message}`);
      assert.equal(e.message, 'plugin "spin" hook onTask exceeded its CPU limit of 100 ms');
      return true;
    });
    const t0 = performance.now();
    await assert.rejects(p.call("onTask", { kind: "wait" }), (e: Error) => {
      assert.ok(e instanceof PluginLimitExceeded, `${e.name}: ${e.message}`);
      assert.equal(e.message, 'plugin "spin" hook onTask exceeded its time limit of 300 ms');
      return true;
    });
    assert.ok(performance.now() - t0 >= 290);
    // Calls queue behind each other; many at once all get answers in order.
    const all = await Promise.all(Array.from({ length: 50 }, () => p.call("onTask", { kind: "ok" })));
    assert.deepEqual(all, Array(50).fill("done"));
  } finally {
    p.dispose();
  }
});
