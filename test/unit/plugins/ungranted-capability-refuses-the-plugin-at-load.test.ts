import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { CapabilityDenied } from "../../../core/errors.ts";
import { loadPlugin } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("a plugin whose manifest asks for a capability the operator did not grant is refused at load with one line naming both", async () => {
  // Grants for another plugin, and for another host, do not count.
  for (const grants of [[], ["fetcher:fetch:example.com"], ["wants-fetch:fetch:example.org"], ["wants-fetch:log"]]) {
    await assert.rejects(loadPlugin(FIX + "wants-fetch.ts", { grants, host: {} }), (e: Error) => {
      assert.ok(e instanceof CapabilityDenied, `expected CapabilityDenied, got ${e.name}: ${e.message}`);
      assert.equal(e.message, 'plugin "wants-fetch" asks for capability "fetch:example.com" which was not granted (use --grant wants-fetch:fetch:example.com)');
      return true;
    });
  }
  // Granted: it loads (bare or NAME: form; a port-less grant covers the host).
  for (const grants of [["wants-fetch:fetch:example.com"], ["fetch:example.com"]]) {
    const p = await loadPlugin(FIX + "wants-fetch.ts", { grants, host: {} });
    assert.equal(await p.call("onTask", {}), 1);
    p.dispose();
  }
});
