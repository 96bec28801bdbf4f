import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { test } from "../../harness.ts";
import { cacheLayout, openCache, parseCache2 } from "../../../core/cache/index.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

test("items=100000 with the default 64 KiB blocks maps a 6.6 GB sparse file that only uses memory for touched items", () => {
  const path = tmpShm("cache");
  try {
    const cfg = parseCache2("name=default,items=100000");
    const c = openCache(path, cfg, { fresh: true });
    const st = statSync(path);
    assert.equal(st.size, cacheLayout(cfg).total);
    assert.ok(st.size > 6.5e9, `file is ${st.size} bytes`);
    for (let i = 0; i < 1000; i++) assert.equal(c.set(`k${String(i).padStart(7, "0")}`, "v".repeat(32)), true);
    // the last item lives beyond 4 GiB: a second segment (Bun maps at most 4 GiB at once)
    for (let i = 0; i < 98999; i++) assert.equal(c.set(`fill${i}`, ""), true);
    assert.equal(c.set("k-last", "z".repeat(65536)), true);
    assert.equal(c.get("k-last")!.length, 65536);
    assert.equal(c.getString("k0000999"), "v".repeat(32));
    const used = statSync(path).blocks * 512;
    assert.ok(used < 100e6, `file uses ${used} bytes of ${st.size}`);
    assert.equal(c.set("one-too-many", "x"), false);
  } finally {
    cleanup(path);
  }
}, 120_000);
