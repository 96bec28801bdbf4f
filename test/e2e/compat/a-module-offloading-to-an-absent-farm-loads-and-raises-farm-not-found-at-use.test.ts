import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, readJson, start, tmp, until } from "../lib.ts";

// uwsgiconf's Farm(name) and Mule(id) only name their target: a module that
// declares `new Farm("video").offload()(fn)` at its top level, loaded with
// --import everywhere, loads where no farm "video" exists; each use raises.
test("new Farm(\"video\").offload()(fn) at a module's top level loads without the farm; send, offload calls and getMessage raise FarmNotFound naming it", async () => {
  const out = tmp();
  const port = await freePort();
  const fx = "test/fixtures/compat/farm-absent.ts";
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", fx, "--import", fx, "--mule=" + fx, "--farm", "audio:1"], { env: { OUT: out } });
  try {
    const r = await until(async () => { const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => null); return res?.status === 200 ? await res.json() : null; }, 20000, "the app to answer");
    assert.match(r.offload, /^FarmNotFound: no farm named "video" \(farms: audio\)$/);
    assert.match(r.send, /^FarmNotFound: no farm named "video"/);
    assert.match(r.mulefunc, /^FarmNotFound: no farm named "video"/);
    assert.match(r.muleSend, /^MuleNotFound: no mule with id 9 \(there is 1 mule\)$/);
    assert.match(r.muleOffload, /^MuleNotFound: no mule with id 9/);
    assert.match(r.muleZero, /^MuleNotFound: a mule id must be a positive integer: got 0$/);
    assert.match(r.farmGetMessageOutsideMule, /^NotInMule: /);
    const m = await until(() => readJson(`${out}/mule.json`), 20000, "the mule's report");
    assert.equal(m.getMessage, 'FarmNotFound: no farm named "video" (farms: audio)');
    assert.doesNotMatch(mf.output(), /cannot load|failed to load/i, mf.output());
  } finally { await mf.stop(); }
}, 60000);
