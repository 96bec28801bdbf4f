import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { parseCrontab, parseUwsgiCron, uwsgiFieldsOf } from "../../../core/cron/index.ts";

// uWSGI's stats show a cron as five numbers (-1 any, -N every N); a crontab
// field those cannot say reads -1 (the document's `schedule` has the rule).
test("uWSGI's own fields come back as given; weekday is uWSGI's week", () => {
  assert.deepEqual(uwsgiFieldsOf(parseUwsgiCron(5, -2, -1, 3, 1)), { minute: 5, hour: -2, day: -1, month: 3, week: 1 });
});

test("a crontab line maps * to -1, */N to -N, a number to itself, lists and ranges to -1; a seconds field is dropped", () => {
  assert.deepEqual(uwsgiFieldsOf(parseCrontab("*/5 2 * * *")), { minute: -5, hour: 2, day: -1, month: -1, week: -1 });
  assert.deepEqual(uwsgiFieldsOf(parseCrontab("0 9-17 1,15 * MON")), { minute: 0, hour: -1, day: -1, month: -1, week: -1 });
  assert.deepEqual(uwsgiFieldsOf(parseCrontab("30 */10 4 * * *")), { minute: -10, hour: 4, day: -1, month: -1, week: -1 });
});

test("the @ shortcuts read as their five fields", () => {
  assert.deepEqual(uwsgiFieldsOf(parseCrontab("@hourly")), { minute: 0, hour: -1, day: -1, month: -1, week: -1 });
  assert.deepEqual(uwsgiFieldsOf(parseCrontab("@daily")), { minute: 0, hour: 0, day: -1, month: -1, week: -1 });
  assert.deepEqual(uwsgiFieldsOf(parseCrontab("@weekly")), { minute: 0, hour: 0, day: -1, month: -1, week: 0 });
});
