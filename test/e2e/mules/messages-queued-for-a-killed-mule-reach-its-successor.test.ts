import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, stats, until } from "../lib.ts";
import { startWith, waitJson } from "../mule-lib.ts";

test("SIGKILL the consumer while 50k messages are queued: its successor receives all of them", async () => {
  const sport = await freePort();
  // The consumer sleeps before reading, so messages pile up in its queue.
  const { mf, out } = startWith(["--mule=test/fixtures/mules/slow-consumer.ts", "--mule=test/fixtures/mules/producer.ts", "--stats", `127.0.0.1:${sport}`], { N: "50000", TARGET: "1", DUMP_IDS: "1" });
  try {
    await until(() => { try { return readFileSync(`${out}/producer.done`, "utf8"); } catch { return null; } }, 20000, "producer done");
    const d = await stats(sport);
    const m1 = d.mules.find((m: any) => m.id === 1);
    assert.ok(m1.queue > 40000, `queued for mule 1: ${m1.queue}`);
    process.kill(m1.pid, "SIGKILL");
    const j = await waitJson(`${out}/consumer1.json`, (x) => x.count >= 50000, 30000);
    assert.equal(new Set(j.ids).size, 50000, "every message arrived (at-least-once)");
    const after = await stats(sport);
    assert.equal(after.mules.find((m: any) => m.id === 1).respawn_count, 1);
  } finally { await mf.stop(); }
}, 60000);
