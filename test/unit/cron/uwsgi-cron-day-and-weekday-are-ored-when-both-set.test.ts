// POSIX/uWSGI: with both day-of-month and weekday >= 0, either one matching is enough.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Schedule, parseUwsgiCron } from "../../../core/cron/index.ts";

test("uWSGI cron day 13 and weekday 5 fires on every 13th and on every Friday", () => {
  const s = new Schedule(parseUwsgiCron(0, 0, 13, -1, 5), { tz: "UTC" });
  let at = new Date("2025-01-01T00:00:00Z");
  const days: string[] = [];
  while ((at = s.next(at)!) < new Date("2025-02-01T00:00:00Z")) days.push(at.toISOString().slice(0, 10));
  // January 2025: Fridays are the 3rd, 10th, 17th, 24th, 31st; the 13th is a Monday.
  assert.deepEqual(days, ["2025-01-03", "2025-01-10", "2025-01-13", "2025-01-17", "2025-01-24", "2025-01-31"]);
});
