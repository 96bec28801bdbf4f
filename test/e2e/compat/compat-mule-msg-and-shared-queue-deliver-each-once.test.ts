import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startWith, waitJson } from "../mule-lib.ts";

test("uwsgi.mule_msg / mule_get_msg to mule 1 deliver every message in order", async () => {
  const { mf, out } = startWith(["--mule=test/fixtures/mules/compat-consumer.ts", "--mule=test/fixtures/mules/compat-producer.ts"], { N: "20000", TARGET: "1" });
  try {
    const j = await waitJson(`${out}/compat1.json`, (x) => x.ids.length >= 20000, 30000);
    assert.deepEqual(j.ids, Array.from({ length: 20000 }, (_, i) => i));
  } finally { await mf.stop(); }
}, 60000);

test("mule_msg with no id goes to one programmed mule of three: 30k sent, 30k received, no duplicates", async () => {
  const c = "--mule=test/fixtures/mules/compat-consumer.ts";
  const { mf, out } = startWith([c, c, c, "--mule=test/fixtures/mules/compat-producer.ts"], { N: "30000" });
  try {
    const files = [1, 2, 3].map((i) => `${out}/compat${i}.json`);
    let all: number[] = [];
    const { until } = await import("../lib.ts");
    await until(async () => {
      all = [];
      for (const f of files) {
        try { all.push(...(await waitJson(f, () => true, 100)).ids); } catch { /* not yet */ }
      }
      return all.length >= 30000;
    }, 30000, "30k receipts");
    assert.equal(all.length, 30000);
    assert.equal(new Set(all).size, 30000);
  } finally { await mf.stop(); }
}, 60000);
