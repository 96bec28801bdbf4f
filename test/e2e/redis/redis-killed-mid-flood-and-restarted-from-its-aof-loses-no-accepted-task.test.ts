import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { stats, tmp, until } from "../lib.ts";
import { runs, startInstance } from "../redis-spool-lib.ts";

// appendfsync always: a task whose spool() resolved is in Redis's fsynced AOF.
// kill -9 of redis-server mid-flood, restart from the AOF: every such task
// runs, and both instances go on without a restart of their own.
test("redis-server killed mid-flood and restarted from its AOF: every task whose spool() resolved runs; the instances reconnect", async () => {
  const redis = await startRedis({ appendfsync: "always" });
  const out = tmp("mf-redis-crash-");
  const address = `${redis.url}#crash`;
  const a = await startInstance("A", address, out, ["--spooler-processes", "2"]);
  const b = await startInstance("B", address, out, ["--spooler-processes", "2"]);
  const pids = [a.mf.pid, b.mf.pid];
  try {
    const flood = Promise.all([a.get("/flood?n=8000&tag=a"), b.get("/flood?n=8000&tag=b")]);
    await until(() => runs(out).length > 100, 30_000, "the flood under way");
    await redis.kill9();
    await new Promise((r) => setTimeout(r, 1000));
    await redis.restart();
    const restartedAt = Date.now();
    const [ra, rb] = await flood;
    assert.ok(Math.max(ra.endedAt, rb.endedAt) > restartedAt, "the flood went on across the restart");
    const accepted: string[] = [...ra.ok, ...rb.ok];
    assert.ok(accepted.length > 0);
    const rejected = [...ra.failed, ...rb.failed];
    for (const f of rejected) assert.match(f, /RedisUnavailable/, "a refusal is the named error");
    const done = () => new Set(runs(out).filter((r) => r.kind === "E").map((r) => r.id));
    await until(() => { const d = done(); return accepted.every((id) => d.has(id)); }, 120_000, `all ${accepted.length} accepted tasks to run`);
    // Same masters, and both still spool and run after the restart.
    assert.deepEqual([a.mf.pid, b.mf.pid], pids);
    assert.equal(a.mf.proc.exitCode, null);
    assert.equal(b.mf.proc.exitCode, null);
    assert.ok((await a.get("/one?id=afterA")).id);
    assert.ok((await b.get("/one?id=afterB")).id);
    await until(() => { const d = done(); return d.has("afterA") && d.has("afterB"); }, 15_000, "tasks spooled after the restart to run");
    assert.equal((await stats(a.sport)).spoolers[0].pids.length, 2);
  } finally {
    await Promise.all([a.mf.stop(), b.mf.stop()]);
    await redis.stop();
  }
}, 180_000);
