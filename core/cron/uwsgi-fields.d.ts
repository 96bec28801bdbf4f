import type { CronOptions, CronSpec } from "./spec.ts";
type UwsgiSpec = Extract<CronSpec, {
    kind: "uwsgi";
}>;
/**
 * Validates uWSGI's five cron numbers; throws `InvalidCron` naming the field.
 *
 * @example
 * parseUwsgiCron(0, 24, -1, -1, -1); // throws InvalidCron: field "hour" out of range: 24
 */
export declare function parseUwsgiCron(minute: number, hour: number, day: number, month: number, weekday: number, opts?: CronOptions): CronSpec;
/**
 * The croner pattern and day/weekday logic equal to a uWSGI spec.
 *
 * @example
 * uwsgiToCroner(parseUwsgiCron(0, 0, -2, -1, 1)); // { pattern: "0 0 2-31/2 * 1", domAndDow: true }
 */
export declare function uwsgiToCroner(spec: UwsgiSpec): {
    pattern: string;
    domAndDow: boolean;
};
export {};
