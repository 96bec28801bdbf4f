import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, stats } from "../lib.ts";
import { startWith, waitJson } from "../mule-lib.ts";

test("a full mule queue makes send() wait, then reject with QueueFull; nothing accepted is dropped", async () => {
  const sport = await freePort();
  const { mf, out } = startWith(["--mule=test/fixtures/mules/idle.ts", "--mule=test/fixtures/mules/flood.ts", "--mule-queue", "100", "--mule-send-timeout", "1", "--stats", `127.0.0.1:${sport}`]);
  try {
    const j = await waitJson(`${out}/flood.json`, () => true, 20000);
    assert.match(j.error, /^QueueFull: mule queue for mule 1 stayed full for 1 s \(--mule-send-timeout\)$/);
    const d = await stats(sport);
    const m1 = d.mules.find((m: any) => m.id === 1);
    // Every accepted message is queued for mule 1 (its own queue plus what was pushed ahead to it).
    assert.equal(m1.queue, j.accepted, `accepted ${j.accepted}, queued ${m1.queue}`);
  } finally { await mf.stop(); }
}, 40000);
