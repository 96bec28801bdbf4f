// The one back-off for things that keep dying: processes the master respawns
// and sandboxed light mules their host restarts.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { MAX_BACKOFF_MS, QUICK_DEATH_MS, quickDeaths, respawnDelayMs } from "../../../core/base/respawn-backoff.ts";

test("respawn back-off starts at once, then doubles from 100 ms, is capped at 10 s, and a long life starts it over", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(respawnDelayMs), [0, 100, 200, 400, 800, 1600]);
  assert.equal(respawnDelayMs(0), 0);
  assert.equal(respawnDelayMs(9), MAX_BACKOFF_MS);
  assert.equal(respawnDelayMs(1000), MAX_BACKOFF_MS);
  assert.equal(MAX_BACKOFF_MS, 10_000);
  let deaths = 0;
  for (let i = 0; i < 4; i++) deaths = quickDeaths(deaths, 10);
  assert.equal(deaths, 4);
  assert.equal(quickDeaths(deaths, QUICK_DEATH_MS - 1), 5);
  assert.equal(quickDeaths(deaths, QUICK_DEATH_MS), 0);
});
