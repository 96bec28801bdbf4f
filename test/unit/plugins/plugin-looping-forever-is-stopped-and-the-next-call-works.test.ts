import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { PluginLimitExceeded } from "../../../core/errors.ts";
import { loadPlugin } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("a hook running while(true){} is interrupted after its 100 ms CPU limit with PluginLimitExceeded; the next request is served", async () => {
  const p = await loadPlugin(FIX + "spin.ts", { grants: [], host: {} });
  try {
    const t0 = performance.now();
    await assert.rejects(p.call("onRequest", { method: "GET", url: "/spin", headers: {} }), (e: Error) => {
      assert.ok(e instanceof PluginLimitExceeded, `expected PluginLimitExceeded, got ${e.name}: ${e.message}`);
      assert.equal(e.message, 'plugin "spin" hook onRequest exceeded its CPU limit of 100 ms');
      return true;
    });
    const took = performance.now() - t0;
    assert.ok(took >= 95 && took < 2000, `interrupted after ${took} ms`);
    const r = await p.call("onRequest", { method: "GET", url: "/", headers: {} });
    assert.deepEqual(r, { status: 200, headers: {}, body: "served after 2 calls" }); // same context: state kept
    assert.equal(p.stats().limitHits, 1);
    assert.equal(p.restarts, 0);
  } finally {
    p.dispose();
  }
});
