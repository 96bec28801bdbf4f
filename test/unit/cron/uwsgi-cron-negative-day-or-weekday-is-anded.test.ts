// uWSGI only ORs day and weekday when both are >= 0; with a -N in either they
// must both match (croner's default for two restricted fields is OR).
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Schedule, parseUwsgiCron } from "../../../core/cron/index.ts";

test("uWSGI cron day -2 with weekday 1 fires only on Mondays that fall on even days", () => {
  const s = new Schedule(parseUwsgiCron(0, 0, -2, -1, 1), { tz: "UTC" });
  let at = new Date("2025-01-01T00:00:00Z");
  const days: string[] = [];
  while ((at = s.next(at)!) < new Date("2025-03-01T00:00:00Z")) days.push(at.toISOString().slice(0, 10));
  assert.deepEqual(days, ["2025-01-06", "2025-01-20", "2025-02-10", "2025-02-24"]);
});

test("uWSGI cron day 6 with weekday -7 fires only on a 6th that is a Sunday", () => {
  const s = new Schedule(parseUwsgiCron(0, 0, 6, -1, -7), { tz: "UTC" });
  const at = s.next(new Date("2025-01-01T00:00:00Z"))!;
  assert.equal(at.toISOString(), "2025-04-06T00:00:00.000Z");
  assert.equal(at.getUTCDay(), 0);
});
