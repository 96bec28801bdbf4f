import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startWith, waitJson } from "../mule-lib.ts";

test("a producer mule sends 100k messages with Mule(1).send and the consumer gets all of them, in order", async () => {
  const { mf, out } = startWith(["--mule=test/fixtures/mules/consumer.ts", "--mule=test/fixtures/mules/producer.ts"], { N: "100000", TARGET: "1" });
  try {
    const j = await waitJson(`${out}/consumer1.json`, (x) => x.count >= 100000, 30000);
    assert.equal(j.count, 100000);
    assert.equal(j.dups, 0);
    assert.equal(j.inOrder, true);
  } finally { await mf.stop(); }
}, 60000);
