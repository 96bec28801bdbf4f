import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, start, stats, tmp, until } from "../lib.ts";

test("cacheSet keeps an unexpired key, succeeds after expiry; cacheUpdate always writes; items=10 refuses the 11th key", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/shared/app.ts", "--cache2", "name=small,items=10,blocksize=16", "--stats", `127.0.0.1:${sport}`], { env: { OUT: tmp() } });
  try {
    await until(async () => (await stats(sport)).workers[0].status === "idle", 15000, "ready");
    const r = await (await fetch(`http://127.0.0.1:${port}/cache-semantics`)).json();
    assert.equal(r.first, true);
    assert.equal(r.second, false);
    assert.equal(r.kept, "old");
    assert.equal(r.afterExpiry, true);
    assert.equal(r.value, "newer");
    assert.equal(r.update, true);
    assert.equal(r.updated, "updated");
    assert.deepEqual(r.fills, [true, true, true, true, true, true, true, true, true, false]);
    assert.equal(r.eleventh, false);
    assert.match(r.tooBig, /^CacheError: value larger than the block size of cache "small": 100 > 16/);
    assert.match(r.unknown, /^CacheError: unknown cache "nope"/);
    const d = await stats(sport);
    const small = d.caches.find((c: any) => c.name === "small");
    assert.ok(small.full >= 2, `full refusals counted: ${small.full}`);
    assert.equal(small.items, 10);
  } finally { await mf.stop(); }
}, 30000);
