// croner runs "interval" jobs (lists, steps, wildcards) on both passes of a
// fall-back hour; mulefarm promises each wall-clock time runs once.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Schedule, parseCrontab } from "../../../core/cron/index.ts";

const TZ = "America/New_York";
const local = (d: Date) => d.toLocaleString("en-CA", { timeZone: TZ, hourCycle: "h23" });

function localRuns(expr: string, from: string, to: string): string[] {
  const s = new Schedule(parseCrontab(expr, { tz: TZ }));
  const out: string[] = [];
  let at = new Date(from);
  while ((at = s.next(at)!) < new Date(to)) out.push(local(at).slice(12));
  return out;
}

test("*/30 job runs 01:00 and 01:30 once each across the fall-back hour", () => {
  // 04:00Z = 00:00 EDT; 08:10Z = 03:10 EST.
  assert.deepEqual(localRuns("*/30 * * * *", "2025-11-02T04:00:00Z", "2025-11-02T08:10:00Z"),
    ["00:30:00", "01:00:00", "01:30:00", "02:00:00", "02:30:00", "03:00:00"]);
});

test("30 1,2 job runs 01:30 once on the fall-back day", () => {
  assert.deepEqual(localRuns("30 1,2 * * *", "2025-11-02T04:00:00Z", "2025-11-02T12:00:00Z"), ["01:30:00", "02:30:00"]);
});

test("Lord Howe's half-hour fall-back is handled too", () => {
  // Australia/Lord_Howe falls back from 02:00 (+11) to 01:30 (+10:30) on 2025-04-06.
  const s = new Schedule(parseCrontab("*/15 * * * *", { tz: "Australia/Lord_Howe" }));
  const wall = (d: Date) => d.toLocaleString("en-CA", { timeZone: "Australia/Lord_Howe", hourCycle: "h23" });
  let at = new Date("2025-04-05T14:00:00Z"); // 01:00 +11
  const seen: string[] = [];
  while ((at = s.next(at)!) < new Date("2025-04-05T16:10:00Z")) seen.push(wall(at).slice(12));
  assert.equal(new Set(seen).size, seen.length, `a wall time ran twice: ${seen.join(" ")}`);
  assert.deepEqual(seen, ["01:15:00", "01:30:00", "01:45:00", "02:00:00", "02:15:00", "02:30:00"]);
});
