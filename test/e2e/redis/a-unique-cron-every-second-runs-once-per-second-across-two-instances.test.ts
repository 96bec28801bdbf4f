// Acceptance 5 (cron): cron("* * * * * *", { unique: "cluster" }) in two
// instances on one Redis runs once per second in all, counted over 10 s.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { sleep, until } from "../lib.ts";
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
    // One run per scheduled second: 10 over 10 s, give or take the edges of the window.
    assert.ok(got.length >= 9 && got.length <= 11, `runs in 10 s: ${got.length}: ${JSON.stringify(got)}`);
    const seconds = got.map(([, s]) => Number(s));
    for (let i = 1; i < seconds.length; i++) assert.ok(seconds[i] > seconds[i - 1] - 1, "no second twice (runs are ordered)");
    assert.equal(new Set(seconds).size, seconds.length, `each second once: ${JSON.stringify(got)}`);
  } finally {
    await p.stop();
  }
}, 60_000);
