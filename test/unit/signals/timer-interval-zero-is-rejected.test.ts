// uWSGI silently never fires a 0 s timer (the timerfd is disarmed); we refuse it.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { UsageError } from "../../../core/errors.ts";
import { nextTimerTick, timerTick } from "../../../core/cron/index.ts";

test("a timer interval of zero, a negative one or NaN is a UsageError naming the value", () => {
  assert.throws(() => timerTick(0, 0, 1), (e: unknown) =>
    e instanceof UsageError && e.message === "timer interval must be a positive number of seconds: got 0");
  assert.throws(() => nextTimerTick(0, -500, 10), (e: unknown) =>
    e instanceof UsageError && e.message === "timer interval must be a positive number of seconds: got -0.5");
  assert.throws(() => nextTimerTick(0, NaN, 10), UsageError);
  assert.throws(() => timerTick(0, 100, -1), UsageError);
});
