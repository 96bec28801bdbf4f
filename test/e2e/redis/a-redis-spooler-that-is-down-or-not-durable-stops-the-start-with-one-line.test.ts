import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { freePort, run } from "../lib.ts";

const app = (port: number) => ["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/spooler/redis-app.ts", "--import", "test/fixtures/spooler/redis-tasks.ts"];

test("a --spooler on a Redis that is down exits 1 with one line naming the URL and the reason", async () => {
  const dead = await freePort(); // nothing listens there
  const r = await run([...app(await freePort()), "--spooler", `redis://127.0.0.1:${dead}/0#jobs`]);
  assert.equal(r.code, 1, r.output);
  const lines = r.output.trim().split("\n");
  assert.equal(lines.length, 1, r.output);
  assert.match(lines[0], new RegExp(`redis://127\\.0\\.0\\.1:${dead}`));
  assert.match(lines[0], /ECONNREFUSED|refused/i);
});

test("a --spooler on Redis without a spool name exits 2 with one line", async () => {
  const r = await run([...app(await freePort()), "--spooler", "redis://u:secret@127.0.0.1:6379/0"]);
  assert.equal(r.code, 2, r.output);
  assert.equal(r.output.trim().split("\n").length, 1, r.output);
  assert.match(r.output, /must name its spool after '#'/);
  assert.doesNotMatch(r.output, /secret/, "the password is masked");
});

test("a --spooler on a Redis without appendfsync always exits 2 with one line saying what to set, unless --spooler-sync none", async () => {
  const redis = await startRedis({ appendfsync: "everysec" });
  try {
    const r = await run([...app(await freePort()), "--spooler", `${redis.url}#jobs`]);
    assert.equal(r.code, 2, r.output);
    const lines = r.output.trim().split("\n");
    assert.equal(lines.length, 1, r.output);
    assert.match(lines[0], /appendfsync always/);
    assert.match(lines[0], /--spooler-sync none/);
    assert.match(lines[0], /got appendonly yes, appendfsync everysec/);

    // With --spooler-sync none the same Redis is accepted: the instance starts and runs.
    const port = await freePort();
    const { start, until, stats } = await import("../lib.ts");
    const sport = await freePort();
    const mf = start([...app(port), "--spooler", `${redis.url}#jobs`, "--spooler-sync", "none", "--stats", `127.0.0.1:${sport}`], { env: { OUT: (await import("../lib.ts")).tmp("mf-redis-none-"), INSTANCE: "x" } });
    try {
      await until(async () => (await stats(sport)).spoolers[0].sync === "none", 20_000, "started with sync none");
    } finally {
      await mf.stop();
    }
  } finally {
    await redis.stop();
  }
}, 60_000);
