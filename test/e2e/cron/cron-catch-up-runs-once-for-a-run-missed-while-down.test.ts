import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { sleep, start, tmp, until } from "../lib.ts";

test("a catch-up cron runs once at start for the run missed while the instance was down (last run recorded in the spool dir)", async () => {
  const out = tmp();
  const args = ["--mules", "1", "--spooler", join(out, "spool"), "--import", "test/fixtures/signals/catchup.ts"];
  const ticks = () => (existsSync(join(out, "ticks.log")) ? readFileSync(join(out, "ticks.log"), "utf8").trim().split("\n").length : 0);
  const first = start(args, { env: { OUT: out } });
  try {
    await until(() => ticks() >= 2, 10000, "the cron running");
  } finally { await first.stop(); }
  assert.ok(existsSync(join(out, "spool", "state", "cron-last-fired.json")), "the last run is recorded");
  await sleep(2500); // runs are missed while nothing runs
  const second = start(args, { env: { OUT: out } });
  try {
    await second.waitFor(/running once for the run missed at /, 10000);
    assert.equal((second.output().match(/running once for the run missed/g) ?? []).length, 1, "once, not once per missed run");
  } finally { await second.stop(); }
}, 40000);
