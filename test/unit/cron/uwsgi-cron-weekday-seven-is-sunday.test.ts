import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Schedule, parseUwsgiCron } from "../../../core/cron/index.ts";

test("uWSGI cron weekday 7 fires on Sundays, the same as weekday 0", () => {
  const seven = new Schedule(parseUwsgiCron(30, 4, -1, -1, 7), { tz: "UTC" });
  const zero = new Schedule(parseUwsgiCron(30, 4, -1, -1, 0), { tz: "UTC" });
  let a = new Date("2025-01-01T00:00:00Z");
  let b = a;
  for (let i = 0; i < 10; i++) {
    a = seven.next(a)!;
    b = zero.next(b)!;
    assert.equal(a.getUTCDay(), 0, `${a.toISOString()} is not a Sunday`);
    assert.equal(a.toISOString(), b.toISOString());
  }
  assert.equal(a.toISOString(), "2025-03-09T04:30:00.000Z");
});
