// add_cron(sig, -1, -1, -1, -1, -1): a fake clock walks a day of next() calls.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Schedule, parseUwsgiCron } from "../../../core/cron/index.ts";

test("numeric cron with -1 in every field fires once per minute, on the minute", () => {
  const s = new Schedule(parseUwsgiCron(-1, -1, -1, -1, -1), { tz: "Europe/Rome" });
  const start = Date.parse("2025-06-01T00:00:42.250Z");
  let clock = start;
  let fires = 0;
  let prev = 0;
  for (;;) {
    const at = s.next(new Date(clock))!.getTime();
    if (at >= start + 86_400_000) break;
    assert.equal(at % 60_000, 0, `fired off the minute: ${new Date(at).toISOString()}`);
    if (prev) assert.equal(at - prev, 60_000);
    prev = at;
    clock = at; // the fake clock jumps to each fire
    fires++;
  }
  assert.equal(fires, 1440);
});
