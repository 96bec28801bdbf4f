// The face of core/cron: callers import this one file. Schedule answers "when
// next?"; the parsers turn uWSGI's fields and crontab strings into a CronSpec;
// catch-up finds a run missed while the instance was down.
export { Schedule } from "./schedule.ts";
export type { CronOptions, CronSpec } from "./spec.ts";
export { parseUwsgiCron } from "./uwsgi-fields.ts";
export { parseCrontab } from "./crontab.ts";
export { nextTimerTick, timerTick } from "./timer.ts";
export type { TimerTick } from "./timer.ts";
export { missedRun, readLastFired, writeLastFired } from "./catch-up.ts";
