// `30 2 * * *` in America/New_York: 02:30 does not exist on 2025-03-09
// (02:00 jumps to 03:00); croner alone would run it at 03:00 that day, and
// mulefarm skips the day instead. On 2025-11-02 the clock goes 01:59 EDT →
// 01:00 EST, so 01:00-01:59 happens twice: 02:30 runs once, and a 01:30 job
// must also run once, not on both passes.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Schedule, parseCrontab } from "../../../core/cron/index.ts";

const TZ = "America/New_York";
const local = (d: Date) => d.toLocaleString("en-CA", { timeZone: TZ, hourCycle: "h23" });

function between(s: Schedule, from: string, to: string): Date[] {
  const out: Date[] = [];
  let at = new Date(from);
  while ((at = s.next(at)!) < new Date(to)) out.push(at);
  return out;
}

test("New York 02:30 job does not fire on the spring-forward day", () => {
  const runs = between(new Schedule(parseCrontab("30 2 * * *", { tz: TZ })), "2025-03-07T12:00:00Z", "2025-03-12T12:00:00Z");
  assert.deepEqual(runs.map((d) => d.toISOString()), [
    "2025-03-08T07:30:00.000Z", // EST
    "2025-03-10T06:30:00.000Z", // EDT: nothing on the 9th
    "2025-03-11T06:30:00.000Z",
    "2025-03-12T06:30:00.000Z",
  ]);
  for (const d of runs) assert.match(local(d), /02:30:00/);
});

test("New York 02:30 job fires exactly once on the fall-back day", () => {
  const runs = between(new Schedule(parseCrontab("30 2 * * *", { tz: TZ })), "2025-11-01T12:00:00Z", "2025-11-04T12:00:00Z");
  const onDay = runs.filter((d) => local(d).startsWith("2025-11-02"));
  assert.equal(onDay.length, 1);
  assert.equal(onDay[0].toISOString(), "2025-11-02T07:30:00.000Z");
  assert.equal(runs.length, 3);
});

test("New York 01:30 job (inside the repeated hour) fires once on the fall-back day", () => {
  const runs = between(new Schedule(parseCrontab("30 1 * * *", { tz: TZ })), "2025-11-01T12:00:00Z", "2025-11-03T12:00:00Z");
  assert.deepEqual(runs.map((d) => d.toISOString()), ["2025-11-02T05:30:00.000Z", "2025-11-03T06:30:00.000Z"]);
});
