import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { parseCronLine } from "../../../core/cron/command-line.ts";
import { Schedule } from "../../../core/cron/index.ts";

test("uWSGI's five integers, then the command with its own spaces and quotes", () => {
  const r = parseCronLine("0 2 -1 -1 -1 /usr/bin/backup --to 'a b'");
  assert.deepEqual(r.spec, { kind: "uwsgi", minute: 0, hour: 2, day: -1, month: -1, weekday: -1 });
  assert.equal(r.command, "/usr/bin/backup --to 'a b'");
});

test("a 5-field crontab string, a 6-field one with seconds, and a nickname", () => {
  assert.deepEqual(parseCronLine("*/5 * * * * echo hi"), { spec: { kind: "crontab", expr: "*/5 * * * *" }, command: "echo hi" });
  assert.deepEqual(parseCronLine("*/10 * * * * * echo tick"), { spec: { kind: "crontab", expr: "*/10 * * * * *" }, command: "echo tick" });
  assert.deepEqual(parseCronLine("@hourly ./rotate"), { spec: { kind: "crontab", expr: "@hourly" }, command: "./rotate" });
});

test("CRON_TZ= reads the schedule in that zone", () => {
  const r = parseCronLine("CRON_TZ=America/New_York 30 2 * * * ./report");
  assert.deepEqual(r.spec, { kind: "crontab", expr: "30 2 * * *", tz: "America/New_York" });
  assert.equal(r.command, "./report");
  // 02:30 in New York on a winter day is 07:30 UTC
  assert.equal(new Schedule(r.spec).next(new Date("2025-01-10T00:00:00Z"))!.toISOString(), "2025-01-10T07:30:00.000Z");
});

test("a schedule without a command, a bad field or an unknown zone is one named error", () => {
  assert.throws(() => parseCronLine("0 2 -1 -1 -1"), { name: "UsageError", message: '--cron has no command after its schedule: got "0 2 -1 -1 -1"' });
  assert.throws(() => parseCronLine("*/5 * *"), { name: "UsageError", message: /^--cron must be "MIN HOUR DAY MON WDAY COMMAND"/ });
  assert.throws(() => parseCronLine("0 24 -1 -1 -1 true"), { name: "InvalidCron", exitCode: 2, message: '--cron field "hour" out of range: 24, in "0 24 -1 -1 -1 true"' });
  assert.throws(() => parseCronLine("0 24 * * * true"), { name: "InvalidCron", message: /^--cron cannot parse cron expression "0 24 \* \* \*": field "hour" out of range: 24/ });
  assert.throws(() => parseCronLine("CRON_TZ=Mars/Olympus 0 2 * * * true"), { name: "InvalidCron", exitCode: 2, message: /Mars\/Olympus/ });
});
