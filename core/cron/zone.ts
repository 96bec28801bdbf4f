/**
 * Time-zone helpers the schedule needs around croner: validating a zone name
 * up front (croner only fails later, inside nextRun) and telling whether an
 * instant is the second pass through a wall-clock time repeated by a
 * fall-back transition (croner runs interval jobs on both passes).
 *
 * @example
 * checkTimeZone("Europe/Rome");                                   // "Europe/Rome"
 * isRepeatedWallTime(new Date("2025-11-02T06:30:00Z"), "America/New_York"); // true (01:30 EST)
 */
import { InvalidCron } from "../errors.ts";

const formats = new Map<string, Intl.DateTimeFormat>();

/** Returns `tz` if the runtime knows it, else throws `InvalidCron`. */
export function checkTimeZone(tz: string): string {
  try {
    formatFor(tz);
  } catch {
    throw new InvalidCron(`unknown time zone: ${JSON.stringify(tz)}`);
  }
  return tz;
}

/** The process's own zone (what uWSGI's `localtime()` uses). */
export function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Wall-clock reading of `at` in `tz`, to the second: "2025-11-02 01:30:00". */
export function wallClock(at: Date, tz: string): string {
  const p: Record<string, string> = {};
  for (const { type, value } of formatFor(tz).formatToParts(at)) p[type] = value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/**
 * True when the same wall-clock time already happened earlier, i.e. `at` is
 * in the second pass of a fall-back hour. The UTC offset shrinks at such a
 * transition by some `d` (1 h mostly, 30 min on Lord Howe), so the earlier
 * twin is exactly `d` before; we read `d` from the offset a day earlier,
 * since no zone changes its offset twice within a day.
 */
export function isRepeatedWallTime(at: Date, tz: string): boolean {
  const d = offsetMs(new Date(at.getTime() - 86_400_000), tz) - offsetMs(at, tz);
  return d > 0 && wallClock(new Date(at.getTime() - d), tz) === wallClock(at, tz);
}

function offsetMs(at: Date, tz: string): number {
  const [date, time] = wallClock(at, tz).split(" ");
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi, s] = time.split(":").map(Number);
  const whole = at.getTime() - (((at.getTime() % 1000) + 1000) % 1000);
  return Date.UTC(y, mo - 1, d, h, mi, s) - whole;
}

function formatFor(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    // h23: some engines print midnight as "24" with hour12:false.
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: tz, hourCycle: "h23",
      year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    formats.set(tz, f);
  }
  return f;
}
