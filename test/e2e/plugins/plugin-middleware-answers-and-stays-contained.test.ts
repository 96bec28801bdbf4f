import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "../../harness.ts";
import { freePort, run, start, stats, until } from "../lib.ts";

test("an onRequest plugin answers /plugin, passes other paths on, cannot fetch without the grant, and a looping or hoarding call is stopped while the worker serves on", async () => {
  let hits = 0;
  const target = createServer((_q, s) => { hits++; s.end("secret"); });
  const tport = await freePort();
  await new Promise<void>((r) => target.listen(tport, "127.0.0.1", () => r()));
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "examples/hello.ts", "--plugin", "test/fixtures/plugins-e2e/mw.ts", "--grant", "mw:log", "--stats", `127.0.0.1:${sport}`]);
  try {
    await until(async () => (await stats(sport)).workers[0].status === "idle", 20000, "ready");
    const get = async (p: string) => { const r = await fetch(`http://127.0.0.1:${port}${p}`); return `${r.status} ${await r.text()}`; };
    assert.equal(await get("/plugin"), "200 answered by plugin mw");
    assert.equal(await get("/"), "200 ok");
    assert.match(await get(`/reach?url=http://127.0.0.1:${tport}/`), /^500 /);
    assert.equal(hits, 0, "the plugin never reached the server");
    await mf.waitFor(/\[plugin mw\] onRequest failed: .*has no "fetch:127\.0\.0\.1:\d+" capability/);
    const t0 = Date.now();
    assert.match(await get("/spin"), /^500 /);
    assert.ok(Date.now() - t0 < 2000, `stopped after ${Date.now() - t0} ms`);
    await mf.waitFor(/onRequest failed: PluginLimitExceeded: .*CPU limit/);
    assert.equal(await get("/plugin"), "200 answered by plugin mw");
    assert.match(await get("/alloc"), /^500 /);
    await mf.waitFor(/onRequest failed: PluginLimitExceeded: .*memory/);
    assert.equal(await get("/plugin"), "200 answered by plugin mw");
    assert.equal(await get("/"), "200 ok");
  } finally {
    await mf.stop();
    target.close();
  }
}, 60000);

test("a plugin asking for a capability that was not granted is refused at start with one line naming both", async () => {
  const r = await run(["--http", `127.0.0.1:${await freePort()}`, "--module", "examples/hello.ts", "--plugin", "test/fixtures/plugins-e2e/greedy.ts"]);
  assert.equal(r.code, 2, r.output);
  const lines = r.output.trim().split("\n").filter((l) => l.startsWith("mulefarm:"));
  assert.equal(lines.length, 1, r.output);
  assert.match(lines[0], /plugin "greedy" asks for capability "fetch:example\.com" which was not granted/);
});

test("a malformed plugin manifest is a named error at start, exit 2", async () => {
  const r = await run(["--http", `127.0.0.1:${await freePort()}`, "--module", "examples/hello.ts", "--plugin", "test/fixtures/plugins-e2e/broken-manifest.ts"]);
  assert.equal(r.code, 2, r.output);
  assert.match(r.output, /^mulefarm: .*manifest\.version/m);
});
