import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { stats, tmp, until } from "../lib.ts";
import { runs, startInstance } from "../redis-spool-lib.ts";

// Two masters, two stats ports, one Redis spool: tasks spooled from both run
// exactly once in total, each instance runs some, and priority and `at` hold
// across instances. Redis without persistence here (--spooler-sync none):
// durability has its own test.
test("two instances on one Redis run 20,000 tasks spooled from both exactly once, honouring priority and at", async () => {
  const redis = await startRedis({ appendfsync: "off" });
  const out = tmp("mf-redis-spool-");
  const address = `${redis.url}#e2e`;
  const opts = ["--spooler-processes", "2", "--spooler-sync", "none"];
  const a = await startInstance("A", address, out, opts);
  const b = await startInstance("B", address, out, [...opts, "--stats-http"]);
  try {
    const [ra, rb] = await Promise.all([a.get("/flood?n=10000&tag=a"), b.get("/flood?n=10000&tag=b")]);
    assert.deepEqual([ra.ok.length, rb.ok.length, ra.failed, rb.failed], [10000, 10000, [], []]);
    await until(() => runs(out).filter((r) => r.kind === "E").length >= 20000, 120_000, "20,000 runs");
    await new Promise((r) => setTimeout(r, 500));
    const starts = runs(out).filter((r) => r.kind === "S");
    assert.equal(starts.length, 20000, "no task ran twice");
    assert.equal(new Set(starts.map((r) => r.id)).size, 20000, "none missing");
    const by = (i: string) => starts.filter((r) => r.instance === i).length;
    assert.ok(by("A") > 0 && by("B") > 0, `both instances ran some: A ${by("A")}, B ${by("B")}`);

    // Priority and `at` across instances: four blockers of 1, 2, 3 and 4 s take the
    // four spooler processes; three tasks due in 0.5 s wait. The processes come free
    // one a second, and each takes the lowest priority number left.
    for (let k = 1; k <= 4; k++) assert.ok((await a.get(`/one?id=blk${k}&ms=${k * 1000}`)).id);
    await until(() => runs(out).filter((r) => r.kind === "S" && r.id.startsWith("blk")).length === 4, 10_000, "the 4 blockers started");
    const at = Date.now() + 500;
    for (const [id, p] of [["p5", 5], ["p1", 1], ["p3", 3]] as const) assert.ok((await a.get(`/one?id=${id}&priority=${p}&at=${at}`)).id);
    // Shared depth: B's stats and /metrics count what A spooled (refreshed within a second).
    await until(async () => (await stats(b.sport, true)).spoolers[0].pending === 3, 5000, "B's stats show the 3 pending tasks");
    const metrics = await (await fetch(`http://127.0.0.1:${b.sport}/metrics`)).text();
    assert.match(metrics, /spooler_pending_tasks\{dir="redis:\/\/127\.0\.0\.1:\d+#e2e"\} 3/);
    await until(() => runs(out).filter((r) => r.kind === "S" && /^p\d/.test(r.id)).length === 3, 15_000, "the 3 due tasks ran");
    const prio = runs(out).filter((r) => r.kind === "S" && /^p\d/.test(r.id)).sort((x, y) => x.t - y.t);
    for (const r of prio) assert.ok(r.t >= at, `${r.id} started ${at - r.t} ms before its at`);
    assert.deepEqual(prio.map((r) => r.id), ["p1", "p3", "p5"], "lower priority numbers first");
  } finally {
    await Promise.all([a.mf.stop(), b.mf.stop()]);
    await redis.stop();
  }
}, 180_000);
