import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { PluginLimitExceeded } from "../../../core/errors.ts";
import { loadPlugin } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("a hook that recurses without bound gets PluginLimitExceeded naming the stack limit; the next call works", async () => {
  const p = await loadPlugin(FIX + "hog.ts", { grants: [], host: {} });
  try {
    await assert.rejects(p.call("onSignal", 1), (e: Error) => {
      assert.ok(e instanceof PluginLimitExceeded, `expected PluginLimitExceeded, got ${e.name}: ${e.message}`);
      assert.equal(e.message, `plugin "hog" hook onSignal exceeded its stack limit of ${256 << 10} bytes`);
      return true;
    });
    assert.deepEqual(await p.call("onRequest"), { status: 200, headers: {}, body: "still alive" });
  } finally {
    p.dispose();
  }
});
