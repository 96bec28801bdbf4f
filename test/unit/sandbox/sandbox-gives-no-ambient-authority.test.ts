import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { CapabilityDenied } from "../../../core/errors.ts";
import { loadPlugin } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("sandboxed code sees no process, require, Deno, Bun or timers, and cannot read the environment without env:NAME", async () => {
  const p = await loadPlugin(FIX + "sneaky.ts", { grants: ["sneaky:env:HOME"], host: {} });
  try {
    assert.deepEqual(await p.call("onTask", { what: "ambient" }), []);
    await assert.rejects(p.call("onTask", { what: "env", target: "HOME" }), CapabilityDenied); // granted but not declared
  } finally {
    p.dispose();
  }
});
