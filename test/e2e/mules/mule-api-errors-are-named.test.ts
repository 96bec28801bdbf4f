import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { run } from "../lib.ts";
import { startWith, waitJson } from "../mule-lib.ts";

test("getMessage({timeout: 1}) resolves null after ~1 s; 70 KB is MessageTooLarge; Mule(9) is MuleNotFound; an object is InvalidMessage", async () => {
  const { mf, out } = startWith(["--mule=test/fixtures/mules/edge-cases.ts", "--mule=test/fixtures/mules/consumer.ts"]);
  try {
    const j = await waitJson(`${out}/edge.json`, () => true, 20000);
    assert.equal(j.timeoutValue, null);
    assert.ok(j.timeoutMs >= 950 && j.timeoutMs < 2500, `waited ${j.timeoutMs} ms`);
    assert.match(j.tooLarge, /^MessageTooLarge: .*70000 bytes.*65536/);
    assert.match(j.notFound, /^MuleNotFound: no mule with id 9 \(there are 2 mules\)/);
    assert.equal(j.notText, 'InvalidMessage: a mule message must be a string or a Uint8Array: got an object ({"a":1})');
  } finally { await mf.stop(); }
}, 30000);

test("--farm f:7 with 2 mules exits 2 at start naming 7", async () => {
  const r = await run(["--mules", "2", "--farm", "f:7"]);
  assert.equal(r.code, 2);
  assert.equal(r.output.trim().split("\n").length, 1, r.output);
  assert.match(r.output, /--farm f: no mule with id 7/);
});
