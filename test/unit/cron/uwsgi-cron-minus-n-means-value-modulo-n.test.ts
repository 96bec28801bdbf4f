// -N in the other fields: hour -3 → 0,3,6…; day -2 → even days; month -3 →
// Mar, Jun, Sep, Dec; weekday -2 → Sun, Tue, Thu, Sat. Note day and month
// start at 1, so croner's "*/N" (which counts from 1) would be wrong there.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Schedule, parseUwsgiCron } from "../../../core/cron/index.ts";

function runs(s: Schedule, from: string, n: number): Date[] {
  const out: Date[] = [];
  let at = new Date(from);
  for (let i = 0; i < n; i++) out.push((at = s.next(at)!));
  return out;
}

test("uWSGI cron hour -3 fires at hours divisible by 3", () => {
  const hours = runs(new Schedule(parseUwsgiCron(0, -3, -1, -1, -1), { tz: "UTC" }), "2025-01-01T00:30:00Z", 9)
    .map((d) => d.getUTCHours());
  assert.deepEqual(hours, [3, 6, 9, 12, 15, 18, 21, 0, 3]);
});

test("uWSGI cron day -2 fires on even days of the month only", () => {
  const days = runs(new Schedule(parseUwsgiCron(0, 0, -2, -1, -1), { tz: "UTC" }), "2025-01-27T12:00:00Z", 5)
    .map((d) => d.toISOString().slice(5, 10));
  assert.deepEqual(days, ["01-28", "01-30", "02-02", "02-04", "02-06"]);
});

test("uWSGI cron month -3 fires in March, June, September and December", () => {
  const months = runs(new Schedule(parseUwsgiCron(0, 0, 1, -3, -1), { tz: "UTC" }), "2025-01-15T00:00:00Z", 5)
    .map((d) => d.toISOString().slice(0, 7));
  assert.deepEqual(months, ["2025-03", "2025-06", "2025-09", "2025-12", "2026-03"]);
});

test("uWSGI cron weekday -2 fires on Sunday, Tuesday, Thursday and Saturday", () => {
  const weekdays = runs(new Schedule(parseUwsgiCron(0, 0, -1, -1, -2), { tz: "UTC" }), "2025-01-01T12:00:00Z", 8)
    .map((d) => d.getUTCDay());
  assert.deepEqual(weekdays, [4, 6, 0, 2, 4, 6, 0, 2]);
});
