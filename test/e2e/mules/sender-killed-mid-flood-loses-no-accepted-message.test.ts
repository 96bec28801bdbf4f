import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, stats, until } from "../lib.ts";
import { startWith, waitJson } from "../mule-lib.ts";

test("a sender SIGKILLed mid-flood loses no message it was told was accepted; its successor's messages follow in order", async () => {
  const sport = await freePort();
  const { mf, out } = startWith(["--mule=test/fixtures/mules/per-sender-consumer.ts", "--mule=test/fixtures/mules/killable-producer.ts", "--stats", `127.0.0.1:${sport}`]);
  try {
    const first = Number(await until(() => { try { return readFileSync(`${out}/first.pid`, "utf8"); } catch { return null; } }, 20000, "first producer"));
    await until(() => { try { return Number(readFileSync(`${out}/accepted-${first}`, "utf8")) >= 20000; } catch { return false; } }, 30000, "20k accepted");
    process.kill(first, "SIGKILL");
    const accepted = Number(readFileSync(`${out}/accepted-${first}`, "utf8"));
    await until(() => { try { return readFileSync(`${out}/second.done`, "utf8"); } catch { return null; } }, 30000, "the successor's 2000 messages");
    const second = Number(readFileSync(`${out}/second.done`, "utf8"));
    const j = await waitJson(`${out}/per-sender.json`, (x) => x.senders[second] === 2000, 20000);
    assert.deepEqual(j.errors, []);
    assert.ok(j.senders[first] >= accepted, `the killed sender had ${accepted} accepted, ${j.senders[first]} arrived`);
    const d = await stats(sport);
    assert.equal(d.mules.find((m: any) => m.id === 1).queue, 0, "nothing left queued");
  } finally { await mf.stop(); }
}, 90000);
