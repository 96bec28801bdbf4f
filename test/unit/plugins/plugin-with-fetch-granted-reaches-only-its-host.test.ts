import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "../../harness.ts";
import { CapabilityDenied } from "../../../core/errors.ts";
import { loadPlugin } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("a plugin with fetch:127.0.0.1 declared and granted fetches from a local server; localhost (another host) is refused", async () => {
  const seen: string[] = [];
  const srv = createServer((req, res) => { seen.push(req.url!); res.setHeader("content-type", "text/plain"); res.end("pong " + req.url); });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as AddressInfo).port;
  const p = await loadPlugin(FIX + "fetcher.ts", { grants: ["fetcher:fetch:127.0.0.1"], host: {} });
  try {
    const r = await p.call("onTask", { url: `http://127.0.0.1:${port}/ping` });
    assert.deepEqual(r, { status: 200, body: "pong /ping", type: "text/plain" });
    await assert.rejects(p.call("onTask", { url: `http://localhost:${port}/ping` }), CapabilityDenied);
    await assert.rejects(p.call("onTask", { url: `file:///etc/passwd` }), CapabilityDenied);
    assert.deepEqual(seen, ["/ping"]);
  } finally {
    p.dispose();
    srv.close();
  }
});
