// add_timer(17, 1e99) was accepted: setTimeout overflowed and the timer fired
// every millisecond with a warning per tick. API spans are checked where
// they are given, like the options, and NaN shows as NaN (JSON said null).
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { addRbTimer, addTimer, rbtimer, timer } from "../../../core/api/signals.ts";
import { harakiri, setUserHarakiri } from "../../../core/harakiri/child.ts";
import uwsgi from "../../../core/api/uwsgi.ts";

test("timer intervals over 24 days, NaN or Infinity are UsageErrors naming the value", () => {
  assert.throws(() => addTimer(17, 1e99), { code: "UsageError", message: "timer interval must be at most 2147483 seconds (24 days): got 1e+99" });
  assert.throws(() => addRbTimer(17, 3e6), { code: "UsageError", message: "rb timer interval must be at most 2147483 seconds (24 days): got 3000000" });
  assert.throws(() => timer(1e9), { message: "timer interval must be at most 2147483 seconds (24 days): got 1000000000" });
  assert.throws(() => rbtimer(NaN), { message: "rb timer interval must be a positive number of seconds: got NaN" });
  assert.throws(() => addTimer(17, Infinity), { message: "timer interval must be a positive number of seconds: got Infinity" });
  assert.throws(() => uwsgi.add_ms_timer(17, 1e10), { message: "timer interval must be at most 2147483 seconds (24 days): got 10000000" });
});

test("set_user_harakiri and harakiri() refuse NaN, negative and over-long spans; 0 clears", () => {
  assert.throws(() => setUserHarakiri(NaN), { code: "UsageError", message: "harakiri seconds must be 0 (none) up to 2147483: got NaN" });
  assert.throws(() => uwsgi.set_user_harakiri(-1), { message: "harakiri seconds must be 0 (none) up to 2147483: got -1" });
  assert.throws(() => harakiri(1e12), { message: "harakiri seconds must be 0 (none) up to 2147483: got 1000000000000" });
  setUserHarakiri(0);
});
