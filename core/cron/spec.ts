/**
 * What a cron schedule is, before it is evaluated: either uWSGI's five
 * numbers (`add_cron`, `--cron`) or a crontab string. Both may carry an IANA
 * time zone; without one the process's local zone applies, as in uWSGI.
 *
 * @example
 * const a: CronSpec = { kind: "uwsgi", minute: -5, hour: -1, day: -1, month: -1, weekday: -1 };
 * const b: CronSpec = { kind: "crontab", expr: "30 2 * * *", tz: "America/New_York" };
 */
export type CronSpec =
  | { kind: "uwsgi"; minute: number; hour: number; day: number; month: number; weekday: number; tz?: string; second?: number }
  | { kind: "crontab"; expr: string; tz?: string };

/** Options shared by the parsers and `Schedule`. */
export interface CronOptions {
  /** IANA zone name ("Europe/Rome"); default: the process's local zone. */
  tz?: string;
}
