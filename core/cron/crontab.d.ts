import type { CronOptions, CronSpec } from "./spec.ts";
/** croner's mode for our crontab strings: no 7-field (year) patterns. */
export declare const CRONTAB_MODE: "5-or-6-parts";
/**
 * Parses and validates a crontab expression.
 *
 * @example
 * parseCrontab("* * * * * *"); // every second
 */
export declare function parseCrontab(expr: string, opts?: CronOptions): CronSpec;
