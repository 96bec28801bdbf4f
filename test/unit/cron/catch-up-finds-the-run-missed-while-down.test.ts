// The master was down from 09:10 to 12:40; an hourly job missed 10:00, 11:00
// and 12:00. Catch-up runs once, for the latest of them.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { Schedule, missedRun, parseCrontab, readLastFired, writeLastFired } from "../../../core/cron/index.ts";

test("catch-up finds the latest run missed while the master was down", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mulefarm-catchup-"));
  try {
    const file = join(dir, "cron-last-fired.json");
    const hourly = new Schedule(parseCrontab("0 * * * *", { tz: "UTC" }));
    assert.equal(readLastFired(file, "sig:40"), null, "no record yet");

    await writeLastFired(file, "sig:40", new Date("2025-01-01T09:00:00Z"));
    const last = readLastFired(file, "sig:40")!;
    assert.equal(last.toISOString(), "2025-01-01T09:00:00.000Z");

    const now = new Date("2025-01-01T12:40:00Z");
    assert.equal(missedRun(hourly, last, now)?.toISOString(), "2025-01-01T12:00:00.000Z");
    // A run exactly at "now" counts as missed too: the interval is (lastFired, now].
    assert.equal(missedRun(hourly, last, new Date("2025-01-01T12:00:00Z"))?.toISOString(), "2025-01-01T12:00:00.000Z");
    // Nothing missed: down for less than the gap between runs, or lastFired is the latest run.
    assert.equal(missedRun(hourly, last, new Date("2025-01-01T09:59:59Z")), null);
    assert.equal(missedRun(hourly, new Date("2025-01-01T12:00:00Z"), now), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("missedRun agrees with walking next() forward, DST days included", () => {
  const tz = "America/New_York";
  for (const expr of ["30 2 * * *", "*/30 * * * *", "30 1,2 * * *", "*/10 * * * * *"]) {
    const s = new Schedule(parseCrontab(expr, { tz }));
    for (const [from, to] of [["2025-03-09T05:00:00Z", "2025-03-09T08:00:00Z"], ["2025-11-02T04:50:00Z", "2025-11-02T07:20:00Z"]]) {
      const lastFired = new Date(from);
      const forward: number[] = [];
      for (let at = s.next(lastFired); at && at.getTime() <= Date.parse(to); at = s.next(at)) forward.push(at.getTime());
      for (let now = Date.parse(from); now <= Date.parse(to); now += 7 * 60_000 + 13_000) {
        const expected = forward.filter((t) => t <= now).at(-1);
        assert.equal(missedRun(s, lastFired, new Date(now))?.getTime() ?? null, expected ?? null,
          `${expr} from ${from} to ${new Date(now).toISOString()}`);
      }
    }
  }
});

test("the last-fired record keeps every key through concurrent writes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mulefarm-catchup-"));
  try {
    const file = join(dir, "sub", "last.json"); // its directory is created on demand
    const at = (i: number) => new Date(Date.UTC(2025, 0, 1, 0, i));
    await Promise.all(Array.from({ length: 20 }, (_, i) => writeLastFired(file, `k${i}`, at(i))));
    for (let i = 0; i < 20; i++) assert.equal(readLastFired(file, `k${i}`)?.getTime(), at(i).getTime());
    await writeLastFired(file, "k3", at(59));
    assert.equal(readLastFired(file, "k3")?.getTime(), at(59).getTime());
    assert.equal(readLastFired(file, "k4")?.getTime(), at(4).getTime());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
