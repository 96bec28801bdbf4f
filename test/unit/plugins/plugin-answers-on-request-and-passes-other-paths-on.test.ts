import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { loadPlugin } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("a plugin's onRequest answers /plugin, passes other paths on (undefined), and logs through the log capability", async () => {
  const logs: string[] = [];
  const p = await loadPlugin(FIX + "hello.ts", { grants: ["hello:log"], host: { log: (source, line) => logs.push(`${source}: ${line}`) } });
  try {
    assert.equal(p.manifest.name, "hello");
    assert.deepEqual(p.hooks, ["onRequest"]);
    const r = await p.call("onRequest", { method: "GET", url: "/plugin?x=1", headers: { host: "a" } });
    assert.deepEqual(r, { status: 200, headers: { "content-type": "text/plain" }, body: "hello from plugin (1)" });
    assert.equal(await p.call("onRequest", { method: "GET", url: "/app", headers: {} }), undefined);
    const r2 = await p.call("onRequest", { method: "POST", url: "/plugin", headers: {} });
    assert.equal(r2.body, "hello from plugin (2)"); // module state lives across calls
    assert.deepEqual(logs, ["hello: answering GET /plugin", "hello: answering POST /plugin"]);
  } finally {
    p.dispose();
  }
});
