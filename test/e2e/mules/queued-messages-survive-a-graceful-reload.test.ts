import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, stats, until } from "../lib.ts";
import { startWith, waitJson } from "../mule-lib.ts";

test("messages queued for a mule survive SIGHUP and reach the reloaded mule", async () => {
  const sport = await freePort();
  const { mf, out } = startWith(["--mule=test/fixtures/mules/gated-consumer.ts", "--mule=test/fixtures/mules/producer.ts", "--stats", `127.0.0.1:${sport}`], { N: "5000", TARGET: "1", DUMP_IDS: "1" });
  try {
    await until(() => existsSync(`${out}/producer.done`), 15000, "producer done");
    const before = await stats(sport);
    assert.ok(before.mules[0].queue >= 4000, `queued: ${before.mules[0].queue}`);
    writeFileSync(`${out}/open`, "1"); // the next incarnation reads
    process.kill(mf.pid, "SIGHUP");
    await mf.waitFor(/reload done/, 20000);
    const j = await waitJson(`${out}/consumer1.json`, (x) => x.count >= 5000, 20000);
    assert.equal(new Set(j.ids).size, 5000);
  } finally { await mf.stop(); }
}, 60000);
