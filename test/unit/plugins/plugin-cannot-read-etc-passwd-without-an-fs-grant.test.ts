import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { CapabilityDenied } from "../../../core/errors.ts";
import { loadPlugin } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("a plugin cannot read /etc/passwd without fs:read, and with fs:read:./data reads only inside data/", async () => {
  const sneaky = await loadPlugin(FIX + "sneaky.ts", { grants: [], host: {} });
  const reader = await loadPlugin(FIX + "reader.ts", { grants: [`reader:fs:read:${FIX}data`], host: {} });
  try {
    await assert.rejects(sneaky.call("onTask", { what: "read", target: "/etc/passwd" }), CapabilityDenied);
    assert.equal(await reader.call("onTask", { path: "greeting.txt" }), "hello from the data dir\n");
    for (const path of ["/etc/passwd", "../hog.ts", "../../../../../../etc/passwd", `${FIX}data/../sneaky.ts`]) {
      await assert.rejects(reader.call("onTask", { path }), CapabilityDenied, path);
    }
  } finally {
    sneaky.dispose();
    reader.dispose();
  }
});
