import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { tmp, until } from "../lib.ts";
import { runs, startInstance } from "../redis-spool-lib.ts";

// A whole instance dies (SIGKILL of its master and children at once): nobody
// reaps its spooler processes, so only the lease (4 s by default, renewed
// while a task runs) brings its tasks back. Each must start on the other
// instance within the lease + 1 s, and every task must run to its end.
const LEASE_MS = 4000;

test("tasks held by a SIGKILLed instance start on the other instance within the lease + 1 s, nothing lost", async () => {
  // No persistence: this is about leases, and an fsync stall of this shared disk would only add noise.
  const redis = await startRedis({ appendfsync: "off" });
  const out = tmp("mf-redis-kill-");
  const address = `${redis.url}#kill`;
  const opts = ["--spooler-processes", "2", "--spooler-sync", "none"];
  const a = await startInstance("A", address, out, opts);
  const b = await startInstance("B", address, out, opts);
  try {
    const r = await a.get("/flood?n=40&tag=t&ms=600");
    assert.equal(r.ok.length, 40);
    // Wait until A runs two tasks at once (its two spoolers), and B runs some too.
    const running = (inst: string) => {
      const all = runs(out);
      const ended = new Set(all.filter((x) => x.kind === "E").map((x) => x.id));
      return all.filter((x) => x.kind === "S" && x.instance === inst && !ended.has(x.id));
    };
    await until(() => running("A").length === 2 && running("B").length > 0, 20_000, "both instances running tasks");
    a.kill9();
    const killedAt = Date.now();
    const held = running("A").map((x) => x.id);
    assert.equal(held.length, 2);
    await a.mf.exited;

    for (const id of held) {
      const again = await until(() => runs(out).find((x) => x.kind === "S" && x.id === id && x.instance === "B"), 20_000, `${id} to start on B`);
      const after = again.t - killedAt;
      assert.ok(after <= LEASE_MS + 1000, `${id} started on B ${after} ms after the kill (lease ${LEASE_MS} ms); B's output:\n${b.mf.output().slice(-2000)}`);
    }
    await until(() => new Set(runs(out).filter((x) => x.kind === "E").map((x) => x.id)).size === 40, 60_000, "every task ran to its end");
    const ends = runs(out).filter((x) => x.kind === "E");
    assert.equal(ends.length, 40, "no task that ended ran twice to its end");
  } finally {
    a.kill9();
    await b.mf.stop();
    await redis.stop();
  }
}, 120_000);
