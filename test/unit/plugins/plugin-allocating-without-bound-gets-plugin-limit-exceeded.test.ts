import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { PluginLimitExceeded } from "../../../core/errors.ts";
import { loadPlugin } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("a hook that allocates without bound gets PluginLimitExceeded naming the memory limit; the plugin keeps serving", async () => {
  const p = await loadPlugin(FIX + "hog.ts", { grants: [], host: {}, limits: { memoryBytes: 8 << 20, cpuMsPerCall: 5000 } });
  try {
    await assert.rejects(p.call("onTask", { kind: "arrays" }), (e: Error) => {
      assert.ok(e instanceof PluginLimitExceeded, `expected PluginLimitExceeded, got ${e.name}: ${e.message}`);
      assert.equal(e.message, `plugin "hog" hook onTask exceeded its memory limit of ${8 << 20} bytes`);
      return true;
    });
    assert.deepEqual(await p.call("onRequest"), { status: 200, headers: {}, body: "still alive" });
    await assert.rejects(p.call("onTask", { kind: "objects" }), /exceeded its memory limit/);
    assert.deepEqual(await p.call("onRequest"), { status: 200, headers: {}, body: "still alive" });
    assert.ok(p.stats().heapBytes <= (16 << 20) + (8 << 20), `heap ${p.stats().heapBytes} stays under 16 MiB + the limit`);
  } finally {
    p.dispose();
  }
}, 60_000);
