// Acceptance 5 (cron): cron("* * * * * *", { unique: "cluster" }) in two
// instances on one Redis runs once per second in all, counted over 10 s.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { sleep, stats, until } from "../lib.ts";
import { twoInstances } from "./two-instances.ts";

test("a unique cron every second in two instances runs once per second across both (10 s)", async () => {
  const p = await twoInstances({ env: { CRON: "1" } });
  const runs = () => (existsSync(`${p.out}/cron.log`) ? readFileSync(`${p.out}/cron.log`, "utf8").split("\n").filter(Boolean).map((l) => l.split(" ")) : []);
  try {
    // Both registered (each instance's stats list the schedule) before counting.
    await until(async () => runs().length >= 2, 15_000, "the cron running");
    const from = runs().length;
    await sleep(10_000);
    const got = runs().slice(from);
    // One run per scheduled second: 10 over 10 s, give or take the window's edges and a stalled
    // clock under load; each instance alone would give 10, so both running every second gives ~20.
    assert.ok(got.length >= 8 && got.length <= 12, `runs in 10 s: ${got.length}: ${JSON.stringify(got)}`);
    // And every run was a claim won: the instances' stats add up to the runs (no run without a claim).
    const won = async () => (await stats(p.a.stats)).fleet.unique_cron.claimed + (await stats(p.b.stats)).fleet.unique_cron.claimed;
    await until(async () => (await won()) === runs().length, 5_000, "claims won = runs").catch(async () => assert.equal(await won(), runs().length));
  } finally {
    await p.stop();
  }
}, 60_000);
