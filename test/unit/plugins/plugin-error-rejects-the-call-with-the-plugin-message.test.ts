import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { UsageError } from "../../../core/errors.ts";
import { loadPlugin } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("a plugin that throws rejects the call with an Error carrying its name and message (sync and async); unknown hooks are UsageErrors", async () => {
  const p = await loadPlugin(FIX + "thrower.ts", { grants: [], host: {} });
  try {
    await assert.rejects(p.call("onTask", { msg: "out of range" }), (e: Error) => {
      assert.equal(e.name, "RangeError");
      assert.equal(e.message, "out of range");
      return true;
    });
    await assert.rejects(p.call("onLog", "x"), { name: "Error", message: "cannot log x" });
    await assert.rejects(p.call("onRequest", {}), UsageError);
  } finally {
    p.dispose();
  }
});
