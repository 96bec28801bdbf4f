// A 6-field crontab ("* * * * * *") with a fake clock that jumps to each fire,
// and one that ticks in uneven steps: either way exactly one run per second.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Schedule, parseCrontab } from "../../../core/cron/index.ts";

test("every-second crontab fires once per second, on whole seconds", () => {
  const s = new Schedule(parseCrontab("* * * * * *"));
  const start = Date.parse("2025-06-01T12:00:00.400Z");
  let clock = start;
  const fires: number[] = [];
  for (;;) {
    const at = s.next(new Date(clock))!.getTime();
    if (at >= start + 600_000) break;
    assert.ok(at > clock, "next() must be strictly after the clock");
    fires.push(at);
    clock = at;
  }
  assert.equal(fires.length, 600);
  for (let i = 1; i < fires.length; i++) assert.equal(fires[i] - fires[i - 1], 1000);
  assert.equal(fires[0], Date.parse("2025-06-01T12:00:01Z"));
});

test("a clock polled every 130 ms sees each second's run exactly once", () => {
  const s = new Schedule(parseCrontab("* * * * * *"));
  let clock = Date.parse("2025-06-01T12:00:00.000Z");
  let due = s.next(new Date(clock))!.getTime();
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) {
    clock += 130;
    while (due <= clock) {
      assert.ok(!seen.has(due));
      seen.add(due);
      due = s.next(new Date(due))!.getTime();
    }
  }
  assert.equal(seen.size, 130); // 130 s of clock
});
