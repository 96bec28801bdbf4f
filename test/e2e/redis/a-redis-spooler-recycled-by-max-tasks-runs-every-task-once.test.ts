import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { stats, tmp, until } from "../lib.ts";
import { runs, startInstance } from "../redis-spool-lib.ts";

// --spooler-max-tasks recycles a spooler process mid-backlog. On Redis a busy
// process claims short tasks a few at a time and tells their completions with
// its next claim: what it claimed ahead goes back uncounted, what it finished
// is told before it exits, so every task runs once.
test("a Redis spooler recycled by --spooler-max-tasks mid-backlog runs every task once", async () => {
  const redis = await startRedis({ appendfsync: "always" });
  const out = tmp("mf-redis-max-");
  const a = await startInstance("A", `${redis.url}#max`, out, ["--spooler-processes", "1", "--spooler-max-tasks", "100"]);
  try {
    const r = await a.get("/flood?n=1000&tag=m");
    assert.equal(r.ok.length, 1000);
    await until(() => new Set(runs(out).filter((x) => x.kind === "E").map((x) => x.id)).size === 1000, 60_000, "1000 tasks ran");
    await new Promise((r) => setTimeout(r, 500));
    const starts = runs(out).filter((x) => x.kind === "S");
    assert.equal(starts.length, 1000, "none ran twice");
    assert.ok(new Set(starts.map((x) => x.pid)).size >= 5, "the spooler was recycled along the way");
    const d = await stats(a.sport);
    assert.deepEqual([d.spoolers[0].pending, d.spoolers[0].failed], [0, 0]);
  } finally {
    await a.mf.stop();
    await redis.stop();
  }
}, 120_000);
