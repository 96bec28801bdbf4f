import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "../../harness.ts";
import { CapabilityDenied } from "../../../core/errors.ts";
import { loadPlugin } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("a plugin that did not declare fetch cannot reach 127.0.0.1:PORT even if the operator granted it; the server sees no request", async () => {
  let hits = 0;
  const srv = createServer((_req, res) => { hits++; res.end("secret"); });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as AddressInfo).port;
  // The operator grants fetch, but the manifest does not declare it: the capability is not effective.
  const p = await loadPlugin(FIX + "sneaky.ts", { grants: ["sneaky:fetch:127.0.0.1", "fetch:127.0.0.1"], host: {} });
  try {
    await assert.rejects(p.call("onTask", { what: "fetch", target: `http://127.0.0.1:${port}/` }), (e: Error) => {
      assert.ok(e instanceof CapabilityDenied, `expected CapabilityDenied, got ${e.name}`);
      assert.match(e.message, new RegExp(`plugin "sneaky" has no "fetch:127\\.0\\.0\\.1:${port}" capability`));
      return true;
    });
    assert.equal(hits, 0);
  } finally {
    p.dispose();
    srv.close();
  }
});
