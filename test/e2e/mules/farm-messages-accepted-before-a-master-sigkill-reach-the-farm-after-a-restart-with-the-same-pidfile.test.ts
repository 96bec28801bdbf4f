import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { alive, freePort, start, stats, tmp, until } from "../lib.ts";
import { waitJson } from "../mule-lib.ts";

// docs/guarantees.md, Mule messages, "Master death": with --pidfile the master
// journals what it accepts on the master path in shared memory; a master
// started again after a SIGKILL with the same options and --pidfile queues the
// messages its predecessor had not seen finished before any new one.
test("20k farm messages queued in the master, master SIGKILLed, started again with the same --pidfile: the farm gets every one", async () => {
  const sport = await freePort();
  const out = tmp("mf-mules-");
  const pidfile = join(out, "master.pid");
  const c = "--mule=test/fixtures/mules/gated-consumer.ts";
  const args = [c, c, "--mule=test/fixtures/mules/once-producer.ts", "--farm", "f:1,2", "--stats", `127.0.0.1:${sport}`, "--pidfile", pidfile];
  const env = { OUT: out, N: "20000", TARGET: "f", DUMP_IDS: "1" };
  const mf = start(args, { env });
  let again: ReturnType<typeof start> | undefined;
  try {
    await until(() => { try { return readFileSync(`${out}/producer.done`, "utf8"); } catch { return null; } }, 30000, "producer done")
      .catch((e) => { throw new Error(`${e.message}:\n${mf.output().slice(-3000)}`); });
    // Accepted by the sender is not yet read by the master: wait until the master holds all of them.
    const d = await until(async () => { const s = await stats(sport); return s.farms[0].queue === 20000 ? s : null; }, 20000, "20k in the farm's queue");
    const pids = d.mules.map((m: any) => Number(m.pid));
    await mf.stop("SIGKILL");
    await until(() => pids.every((p: number) => !alive(p)), 10000, "the old mules gone with their master");
    writeFileSync(`${out}/open`, ""); // the members' next incarnations read
    again = start(args, { env });
    await again.waitFor(/20000 accepted message\(s\) of the master path survived the master's restart/, 30000);
    let a: any, b: any;
    await until(async () => {
      a = await waitJson(`${out}/consumer1.json`, () => true, 100).catch(() => ({ count: 0, ids: [] }));
      b = await waitJson(`${out}/consumer2.json`, () => true, 100).catch(() => ({ count: 0, ids: [] }));
      return a.count + b.count >= 20000;
    }, 60000, "20k receipts").catch((e) => { throw new Error(`${e.message}:\n${again!.output().slice(-3000)}`); });
    assert.equal(new Set([...a.ids, ...b.ids]).size, 20000, "every accepted message");
    assert.equal(a.count + b.count, 20000, "each once");
  } finally {
    await mf.stop();
    await again?.stop();
  }
}, 120000);
