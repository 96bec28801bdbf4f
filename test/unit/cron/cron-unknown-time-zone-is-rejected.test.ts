import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { InvalidCron } from "../../../core/errors.ts";
import { Schedule, parseCrontab, parseUwsgiCron } from "../../../core/cron/index.ts";

const named = (e: unknown) => e instanceof InvalidCron && e.message === 'unknown time zone: "Mars/Base"';

test("an unknown time zone is rejected when the schedule is parsed, not when it first runs", () => {
  assert.throws(() => parseCrontab("* * * * *", { tz: "Mars/Base" }), named);
  assert.throws(() => parseUwsgiCron(-1, -1, -1, -1, -1, { tz: "Mars/Base" }), named);
  assert.throws(() => new Schedule(parseCrontab("* * * * *"), { tz: "Mars/Base" }), named);
});

test("a known time zone is accepted and used", () => {
  const s = new Schedule(parseCrontab("0 9 * * *", { tz: "Asia/Tokyo" }));
  assert.equal(s.tz, "Asia/Tokyo");
  // 09:00 in Tokyo is 00:00 UTC; next() is strictly after its argument.
  assert.equal(s.next(new Date("2025-01-01T00:00:00Z"))!.toISOString(), "2025-01-02T00:00:00.000Z");
});
