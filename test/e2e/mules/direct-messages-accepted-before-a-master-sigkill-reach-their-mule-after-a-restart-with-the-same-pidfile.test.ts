import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { alive, freePort, start, stats, tmp, until } from "../lib.ts";
import { waitJson } from "../mule-lib.ts";

// docs/guarantees.md, Mule messages, "Master death": a master started again
// with the same options and --pidfile after a SIGKILL takes over the direct
// rings its predecessor left in shared memory, so the messages accepted into
// them are delivered, in order. (The master's own queues are not kept yet.)
test("50k messages accepted into mule 1's ring, master SIGKILLed, started again with the same --pidfile: mule 1 gets all of them, in order", async () => {
  const sport = await freePort();
  const args = (pidfile: string) => ["--mule=test/fixtures/mules/gated-consumer.ts", "--mule=test/fixtures/mules/once-producer.ts", "--stats", `127.0.0.1:${sport}`, "--pidfile", pidfile];
  const out = tmp("mf-mules-");
  const pidfile = join(out, "master.pid");
  const mf = start(args(pidfile), { env: { OUT: out, N: "50000", TARGET: "1", DUMP_IDS: "1" } });
  let again: ReturnType<typeof start> | undefined;
  try {
    await until(() => { try { return readFileSync(`${out}/producer.done`, "utf8"); } catch { return null; } }, 30000, "producer done")
      .catch((e) => { throw new Error(`${e.message}:\n${mf.output().slice(-3000)}`); });
    const d = await stats(sport);
    const m1 = d.mules.find((m: any) => m.id === 1);
    assert.equal(m1.queue, 50000, "all 50k accepted and waiting for mule 1 (it does not read yet)");
    const pids = d.mules.map((m: any) => Number(m.pid));
    await mf.stop("SIGKILL");
    await until(() => pids.every((p: number) => !alive(p)), 10000, "the old mules gone with their master");
    writeFileSync(`${out}/open`, ""); // mule 1's next incarnation reads
    again = start(args(pidfile), { env: { OUT: out, N: "50000", TARGET: "1", DUMP_IDS: "1" } });
    await again.waitFor(/mule 1: 50000 accepted message\(s\) in its rings survived the master's restart/, 30000);
    const j = await waitJson(`${out}/consumer1.json`, (x) => x.count >= 50000, 60000)
      .catch((e) => { throw new Error(`${e.message}:\n${again!.output().slice(-3000)}`); });
    assert.equal(j.count, 50000);
    assert.equal(new Set(j.ids).size, 50000, "every accepted message, once");
    assert.equal(j.inOrder, true, "in the order sent");
  } finally {
    await mf.stop();
    await again?.stop();
  }
}, 120000);
