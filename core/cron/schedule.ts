/**
 * A cron schedule you can ask "when next?" — pure, no timers, no process
 * state. croner does the calendar and time-zone math; this class only fixes
 * croner's DST choices to the ones mulefarm promises (issue 4, OCPS 1.4
 * §4.3.1): a wall-clock time that does not exist is skipped, and one that
 * occurs twice runs once, on its first occurrence.
 *
 * croner 11 instead follows Vixie cron: a fixed-time job in a spring-forward
 * gap (`30 2 * * *`) runs at 03:00 the same day, and an interval job
 * (`*\/30 * * * *`, `30 1,2 * * *`) runs on both passes of a fall-back hour.
 * We drop both kinds of run: the first shows up as a run whose wall time does
 * not match the pattern (croner's `match` is false), the second as an instant
 * whose wall time already happened (see `isRepeatedWallTime`).
 *
 * @example
 * const s = new Schedule(parseCrontab("30 2 * * *", { tz: "America/New_York" }));
 * s.next(new Date("2025-03-08T12:00:00Z")); // 2025-03-10T06:30:00Z: the 9th has no 02:30
 */
import { Cron } from "croner";
import { CRONTAB_MODE } from "./crontab.ts";
import type { CronOptions, CronSpec } from "./spec.ts";
import { uwsgiToCroner } from "./uwsgi-fields.ts";
import { checkTimeZone, isRepeatedWallTime, localTimeZone } from "./zone.ts";

export class Schedule {
  /** The croner pattern actually evaluated ("*\/5 * * * *"). */
  readonly pattern: string;
  /** The zone the pattern is read in (explicit, or the process's own). */
  readonly tz: string;
  readonly spec: CronSpec;
  readonly #cron: Cron;

  /**
   * `opts.tz` overrides the spec's own zone. Throws `InvalidCron` for an
   * unknown zone or a pattern croner rejects.
   *
   * @example
   * new Schedule(parseUwsgiCron(-1, -1, -1, -1, -1)); // every minute, local time
   */
  constructor(spec: CronSpec, opts: CronOptions = {}) {
    this.spec = spec;
    const tz = opts.tz ?? spec.tz;
    this.tz = tz === undefined ? localTimeZone() : checkTimeZone(tz);
    let domAndDow = false; // crontab strings: Vixie's day-OR-weekday
    if (spec.kind === "uwsgi") ({ pattern: this.pattern, domAndDow } = uwsgiToCroner(spec));
    else this.pattern = spec.expr;
    // Paused and without a callback, croner never arms a timer: it is only a calculator.
    this.#cron = new Cron(this.pattern, { paused: true, timezone: this.tz, domAndDow, mode: CRONTAB_MODE });
  }

  /**
   * First run strictly after `after`, or null if there is none (croner stops
   * searching a few thousand years out).
   *
   * @example
   * new Schedule(parseCrontab("* * * * * *")).next(new Date("2025-01-01T00:00:00.500Z")); // ...00:00:01Z
   */
  next(after: Date): Date | null {
    for (let at = this.#cron.nextRun(after); at; at = this.#cron.nextRun(at)) {
      if (this.#keeps(at)) return at;
    }
    return null;
  }

  /**
   * Latest run at or before `atOrBefore`, or null. The mirror of `next`, with
   * the same DST corrections, for finding runs missed while down.
   *
   * @example
   * new Schedule(parseCrontab("0 * * * *")).latest(new Date("2025-01-01T10:59:00Z")); // 10:00Z
   */
  latest(atOrBefore: Date): Date | null {
    // previousRuns excludes its reference second but includes earlier
    // instants within it, so 1 ms past makes the bound inclusive.
    let ref = new Date(atOrBefore.getTime() + 1);
    for (;;) {
      const [at] = this.#cron.previousRuns(1, ref);
      if (!at) return null;
      if (this.#keeps(at)) return at;
      ref = at;
    }
  }

  /**
   * One line for logs and stats.
   *
   * @example
   * new Schedule(parseUwsgiCron(-5, -1, -1, -1, -1), { tz: "UTC" }).describe();
   * // 'cron "*\/5 * * * *" in UTC (uWSGI -5 -1 -1 -1 -1)'
   */
  describe(): string {
    const s = this.spec;
    const origin = s.kind === "uwsgi" ? ` (uWSGI ${s.second === undefined ? "" : `second ${s.second}, `}${s.minute} ${s.hour} ${s.day} ${s.month} ${s.weekday})` : "";
    return `cron ${JSON.stringify(this.pattern)} in ${this.tz}${origin}`;
  }

  #keeps(at: Date): boolean {
    return this.#cron.match(at) && !isRepeatedWallTime(at, this.tz);
  }
}
