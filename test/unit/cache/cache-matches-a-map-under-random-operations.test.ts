import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openCache } from "../../../core/cache/index.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

// A tiny deterministic PRNG so a failure can be replayed.
function rng(seed: number) {
  return () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test("a cache spread over many segments behaves like a Map of at most `items` keys under 20000 random set/update/del/inc/get", () => {
  const path = tmpShm("cache");
  try {
    const items = 64;
    const cfg = { name: "default", items, blocksize: 100, keysize: 200 };
    const c = openCache(path, cfg, { fresh: true, segmentBytes: 1024 });
    const model = new Map<string, string | number>();
    const rand = rng(42);
    const keys = Array.from({ length: 100 }, (_, i) => (i % 7 === 0 ? `long-key-${i}-`.padEnd(90 + i, "x") : `k${i}`));
    const dec = new TextDecoder();
    for (let op = 0; op < 20000; op++) {
      const k = keys[Math.floor(rand() * keys.length)];
      const r = rand();
      if (r < 0.3) {
        const v = `v${op}`.repeat(1 + Math.floor(rand() * 10));
        const want = !model.has(k) && model.size < items;
        assert.equal(c.set(k, v), model.has(k) ? false : want, `set ${k} at op ${op}`);
        if (want) model.set(k, v);
      } else if (r < 0.5) {
        const v = `u${op}`;
        const want = model.has(k) || model.size < items;
        assert.equal(c.update(k, v), want, `update ${k} at op ${op}`);
        if (want) model.set(k, v);
      } else if (r < 0.65) {
        assert.equal(c.del(k), model.delete(k), `del ${k} at op ${op}`);
      } else if (r < 0.7) {
        const cur = model.get(k);
        if (typeof cur === "number") model.set(k, c.inc(k, 3));
        else if (cur === undefined && model.size < items) { assert.equal(c.inc(k, 3), 3); model.set(k, 3); }
      } else {
        const got = c.get(k);
        const want = model.get(k);
        if (want === undefined) assert.equal(got, null, `get ${k} at op ${op}`);
        else if (typeof want === "number") assert.equal(c.num(k), want);
        else assert.equal(dec.decode(got!), want, `get ${k} at op ${op}`);
      }
      if (op === 10000) { c.clear(); model.clear(); }
    }
    const other = openCache(path, cfg, { segmentBytes: 1024 });
    assert.deepEqual(other.keys().sort(), [...model.keys()].sort());
    assert.equal(other.stats().items, model.size);
  } finally {
    cleanup(path);
  }
});
