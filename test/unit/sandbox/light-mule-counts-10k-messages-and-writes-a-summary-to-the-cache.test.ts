import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { createLightMule } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("a light mule receives 10k delivered messages and writes its summary through the cache capability", async () => {
  const sets: [string, string, unknown][] = [];
  let flushed!: () => void;
  const done = new Promise<void>((r) => (flushed = r));
  const errors: string[] = [];
  const m = await createLightMule(FIX + "counter-mule.ts", {
    id: 3,
    grants: ["cache"],
    host: {
      cacheSet: (source, key, value) => { sets.push([source, key, value]); flushed(); },
      onError: (source, e) => errors.push(`${source}: ${e.message}`),
    },
  });
  try {
    for (let i = 0; i < 10_000; i++) m.deliver(i % 2 ? `message ${i}` : new TextEncoder().encode(`bytes ${i}`));
    m.deliver("flush");
    await done;
    assert.equal(sets.length, 1);
    const [source, key, value] = sets[0];
    assert.equal(source, "mule 3");
    assert.equal(key, "mule3:summary");
    assert.equal(JSON.parse(value as string).count, 10_000);
    assert.equal(JSON.parse(value as string).mule, 3);
    const s = m.stats();
    assert.equal(s.delivered, 10_001);
    assert.equal(s.queued, 0);
    assert.equal(s.style, "loop");
    assert.equal(s.state, "running");
    assert.deepEqual(errors, []);
  } finally {
    m.dispose();
  }
});
