import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { PluginLimitExceeded } from "../../../core/errors.ts";
import { loadPlugin } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("a plugin whose module state outgrows its memory limit gets PluginLimitExceeded and a fresh context (state lost, restarts counted)", async () => {
  const p = await loadPlugin(FIX + "leak.ts", { grants: [], host: {}, limits: { memoryBytes: 8 << 20, cpuMsPerCall: 5000 } });
  try {
    assert.equal(await p.call("onTask", { n: 10 }), 10);
    assert.equal((await p.call("onRequest", {})).body, "kept 10");
    await assert.rejects(p.call("onTask", { n: 1e9 }), (e: Error) => {
      assert.ok(e instanceof PluginLimitExceeded);
      assert.equal((e as Error & { limit?: string }).limit, "memory");
      return true;
    });
    assert.equal(p.restarts, 1);
    assert.equal((await p.call("onRequest", {})).body, "kept 0");
    assert.equal(await p.call("onTask", { n: 3 }), 3);
  } finally {
    p.dispose();
  }
}, 60_000);
