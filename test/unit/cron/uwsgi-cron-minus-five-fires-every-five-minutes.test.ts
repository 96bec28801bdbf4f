// uWSGI's minute -5 means "minute modulo 5 is 0": :00, :05, ... :55, every hour.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Schedule, parseUwsgiCron } from "../../../core/cron/index.ts";

test("uWSGI cron minute -5 fires at every multiple of five minutes and nowhere else", () => {
  const s = new Schedule(parseUwsgiCron(-5, -1, -1, -1, -1), { tz: "UTC" });
  let at = new Date("2025-06-01T10:02:17Z");
  const runs: string[] = [];
  for (let i = 0; i < 14; i++) {
    at = s.next(at)!;
    runs.push(at.toISOString().slice(11, 19));
  }
  assert.deepEqual(runs, [
    "10:05:00", "10:10:00", "10:15:00", "10:20:00", "10:25:00", "10:30:00", "10:35:00",
    "10:40:00", "10:45:00", "10:50:00", "10:55:00", "11:00:00", "11:05:00", "11:10:00",
  ]);
});
