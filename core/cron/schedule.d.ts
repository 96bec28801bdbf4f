import type { CronOptions, CronSpec } from "./spec.ts";
export type { CronOptions, CronSpec } from "./spec.ts";
export { parseUwsgiCron } from "./uwsgi-fields.ts";
export { parseCrontab } from "./crontab.ts";
export { nextTimerTick, timerTick } from "./timer.ts";
export type { TimerTick } from "./timer.ts";
export { missedRun, readLastFired, writeLastFired } from "./catch-up.ts";
export declare class Schedule {
    #private;
    /** The croner pattern actually evaluated ("*\/5 * * * *"). */
    readonly pattern: string;
    /** The zone the pattern is read in (explicit, or the process's own). */
    readonly tz: string;
    readonly spec: CronSpec;
    /**
     * `opts.tz` overrides the spec's own zone. Throws `InvalidCron` for an
     * unknown zone or a pattern croner rejects.
     *
     * @example
     * new Schedule(parseUwsgiCron(-1, -1, -1, -1, -1)); // every minute, local time
     */
    constructor(spec: CronSpec, opts?: CronOptions);
    /**
     * First run strictly after `after`, or null if there is none (croner stops
     * searching a few thousand years out).
     *
     * @example
     * new Schedule(parseCrontab("* * * * * *")).next(new Date("2025-01-01T00:00:00.500Z")); // ...00:00:01Z
     */
    next(after: Date): Date | null;
    /**
     * Latest run at or before `atOrBefore`, or null. The mirror of `next`, with
     * the same DST corrections, for finding runs missed while down.
     *
     * @example
     * new Schedule(parseCrontab("0 * * * *")).latest(new Date("2025-01-01T10:59:00Z")); // 10:00Z
     */
    latest(atOrBefore: Date): Date | null;
    /**
     * One line for logs and stats.
     *
     * @example
     * new Schedule(parseUwsgiCron(-5, -1, -1, -1, -1), { tz: "UTC" }).describe();
     * // 'cron "*\/5 * * * *" in UTC (uWSGI -5 -1 -1 -1 -1)'
     */
    describe(): string;
}
