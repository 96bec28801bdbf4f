// Acceptance 6: `mulefarm status --redis URL` lists both instances (and each
// instance's stats show the fleet); a stopped instance leaves the list.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { run, stats, until } from "../lib.ts";
import { twoInstances } from "./two-instances.ts";

test("mulefarm status --redis URL lists both instances of the fleet, and each one's stats show it", async () => {
  const p = await twoInstances();
  try {
    // Each heartbeat says how many processes run: wait for the one after the workers started.
    const r = await until(async () => { const o = await run(["status", "--redis", p.redis.url]); return (o.output.match(/1 worker/g) ?? []).length === 2 && o; }, 10_000, "both instances listed with their worker");
    assert.equal(r.code, 0, r.output);
    const lines = r.output.trim().split("\n");
    assert.match(lines[0], /^INSTANCE\s+HOST\s+PID\s+VERSION\s+UPTIME\s+PROCESSES\s+QUEUES\s+SEEN\s+STATS$/);
    assert.ok(lines.some((l) => l.includes(` ${p.a.pid} `) && l.includes(`127.0.0.1:${p.a.stats}`) && l.includes("1 worker")), r.output);
    assert.ok(lines.some((l) => l.includes(` ${p.b.pid} `) && l.includes(`127.0.0.1:${p.b.stats}`)), r.output);
    assert.equal(lines.at(-1), "2 instances");

    const j = await run(["status", "--redis", p.redis.url, "--json"]);
    assert.deepEqual(JSON.parse(j.output).map((m: any) => m.pid).sort(), [p.a.pid, p.b.pid].sort());

    const doc = await until(async () => { const d = await stats(p.a.stats); return d.fleet?.members?.length === 2 && d; }, 10_000, "A's stats show the fleet");
    assert.equal(doc.fleet.connected, true);
    assert.deepEqual(doc.fleet.members.filter((m: any) => m.self).map((m: any) => m.pid), [p.a.pid]);

    await p.b.stop();
    const after = await run(["status", "--redis", p.redis.url, "--json"]);
    assert.deepEqual(JSON.parse(after.output).map((m: any) => m.pid), [p.a.pid], "a stopped instance leaves the fleet");
  } finally {
    await p.stop();
  }
}, 60_000);
