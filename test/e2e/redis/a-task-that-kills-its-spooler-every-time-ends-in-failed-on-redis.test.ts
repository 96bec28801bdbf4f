import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { stats, tmp, until } from "../lib.ts";
import { runs, startInstance } from "../redis-spool-lib.ts";

// A task that SIGKILLs its spooler process every time, among a backlog of
// short tasks that a warm spooler claims in batches: a death while it was
// claimed ahead is not counted, but a fresh process (which never claims
// ahead) counts it, so it still ends in failed; every other task runs once.
test("a task that kills its spooler every time ends in failed on a Redis spool, amid batched short tasks that all run", async () => {
  const redis = await startRedis({ appendfsync: "off" });
  const out = tmp("mf-redis-suicide-");
  const a = await startInstance("A", `${redis.url}#poison`, out, ["--spooler-processes", "1", "--spooler-sync", "none"]);
  try {
    const flood = a.get("/flood?n=2000&tag=s");
    await until(() => runs(out).length > 100, 20_000, "the backlog under way");
    assert.ok((await a.get("/suicide")).id);
    assert.equal((await flood).ok.length, 2000);
    await until(async () => (await stats(a.sport)).spoolers[0].failed === 1, 60_000, "the poison task in failed");
    const deaths = readFileSync(`${out}/suicide.log`, "utf8").trim().split("\n").length;
    assert.ok(deaths >= 2 && deaths <= 8, `it ran ${deaths} times (retries 1: two counted deaths)`);
    await until(() => new Set(runs(out).filter((r) => r.kind === "E").map((r) => r.id)).size === 2000, 60_000, "the 2000 short tasks ran");
    const starts = runs(out).filter((r) => r.kind === "S");
    const ids = new Set(starts.map((r) => r.id));
    assert.equal(ids.size, 2000);
    // A death loses the completions not yet told (at most a batch): those run twice at most.
    assert.ok(starts.length - ids.size <= 16 * deaths, `${starts.length - ids.size} runs beyond the first`);
    assert.ok(existsSync(`${out}/suicide.log`));
  } finally {
    await a.mf.stop();
    await redis.stop();
  }
}, 120_000);
