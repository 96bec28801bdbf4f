import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { until } from "../lib.ts";
import { startWith, waitJson } from "../mule-lib.ts";

test("10k Farm(f).send messages are each received exactly once across the two members", async () => {
  const c = "--mule=test/fixtures/mules/consumer.ts";
  const { mf, out } = startWith([c, c, "--mule=test/fixtures/mules/producer.ts", "--farm", "f:1,2"], { N: "10000", TARGET: "f", DUMP_IDS: "1" });
  try {
    let a: any, b: any;
    await until(async () => {
      a = await waitJson(`${out}/consumer1.json`, () => true, 100).catch(() => ({ count: 0, ids: [] }));
      b = await waitJson(`${out}/consumer2.json`, () => true, 100).catch(() => ({ count: 0, ids: [] }));
      return a.count + b.count >= 10000;
    }, 30000, "10k receipts");
    const ids = [...a.ids, ...b.ids];
    assert.equal(ids.length, 10000);
    assert.equal(new Set(ids).size, 10000);
    assert.equal(a.dups + b.dups, 0);
  } finally { await mf.stop(); }
}, 60000);
