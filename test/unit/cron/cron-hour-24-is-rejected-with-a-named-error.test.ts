import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { InvalidCron } from "../../../core/errors.ts";
import { parseCrontab, parseUwsgiCron } from "../../../core/cron/index.ts";

function rejects(fn: () => unknown, message: string) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InvalidCron, `expected InvalidCron, got ${e}`);
    assert.equal(e.code, "InvalidCron");
    assert.equal(`${e.name}: ${e.message}`, message);
    return true;
  });
}

test("numeric cron hour 24 is rejected with InvalidCron naming the field and value", () => {
  rejects(() => parseUwsgiCron(0, 24, -1, -1, -1), 'InvalidCron: field "hour" out of range: 24');
});

test("every numeric cron field is range-checked, negatives included", () => {
  rejects(() => parseUwsgiCron(60, 0, -1, -1, -1), 'InvalidCron: field "minute" out of range: 60');
  rejects(() => parseUwsgiCron(0, 0, 0, -1, -1), 'InvalidCron: field "day" out of range: 0');
  rejects(() => parseUwsgiCron(0, 0, -32, -1, -1), 'InvalidCron: field "day" out of range: -32');
  rejects(() => parseUwsgiCron(0, 0, 1, 13, -1), 'InvalidCron: field "month" out of range: 13');
  rejects(() => parseUwsgiCron(0, 0, 1, 1, 8), 'InvalidCron: field "weekday" out of range: 8');
  rejects(() => parseUwsgiCron(1.5, 0, 1, 1, 1), 'InvalidCron: field "minute" must be an integer: got 1.5');
});

test("crontab hour 24 is rejected with the field named and the value as written", () => {
  rejects(() => parseCrontab("0 24 * * *"), 'InvalidCron: cannot parse cron expression "0 24 * * *": field "hour" out of range: 24');
  // croner itself reports this one as "day: 31"
  rejects(() => parseCrontab("* * 32 * *"), 'InvalidCron: cannot parse cron expression "* * 32 * *": field "day" out of range: 32');
});

test("a malformed crontab string is rejected with croner's reason", () => {
  assert.throws(() => parseCrontab("x y"), (e: unknown) =>
    e instanceof InvalidCron && e.message.startsWith('cannot parse cron expression "x y": ') && /five, six/.test(e.message));
  assert.throws(() => parseCrontab("1 2 3 4 5 6 7"), InvalidCron); // no year field
  assert.throws(() => parseCrontab("*/0 * * * *"), InvalidCron);
});
