import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { stats, tmp, until } from "../lib.ts";
import { runs, startInstance } from "../redis-spool-lib.ts";

// --spooler-cheap on a Redis spool: the idle spooler process parks; a task
// spooled by this instance starts it again at once, an `at` task at its time.
test("a cheap spooler on a Redis spool parks, and starts again for a new task and at an at task's time", async () => {
  const redis = await startRedis({ appendfsync: "always" });
  const out = tmp("mf-redis-cheap-");
  const a = await startInstance("A", `${redis.url}#cheap`, out, ["--spooler-processes", "1", "--spooler-cheap"]);
  const parked = () => until(async () => (await stats(a.sport)).spoolers[0].statuses[0] === "cheap", 15_000, "the spooler parked");
  const ended = (id: string) => until(() => runs(out).find((r) => r.id === id && r.kind === "E"), 15_000, `${id} ran`);
  try {
    await parked();
    assert.ok((await a.get("/one?id=now")).id);
    await ended("now");
    await parked();
    const at = Date.now() + 1500;
    assert.ok((await a.get(`/one?id=later&at=${at}`)).id);
    await ended("later");
    const start = runs(out).find((r) => r.id === "later" && r.kind === "S")!;
    assert.ok(start.t >= at, `started ${at - start.t} ms before its at`);
    assert.ok(start.t - at < 5000, `started ${start.t - at} ms after its at`);
  } finally {
    await a.mf.stop();
    await redis.stop();
  }
}, 60_000);
