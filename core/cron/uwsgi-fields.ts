/**
 * uWSGI's numeric cron (`add_cron(sig, minute, hour, day, month, weekday)`)
 * and its translation into a croner pattern. -1 is "any", -N is "value
 * modulo N is 0" (core/master_utils.c:uwsgi_cron_task_needs_execution), and
 * day/weekday are OR-ed only when both are >= 0, else AND-ed.
 *
 * @example
 * parseUwsgiCron(-5, -1, -1, -1, -1);      // every five minutes
 * uwsgiToCroner(parseUwsgiCron(40, 2, -1, -1, -1)).pattern; // "40 2 * * *"
 */
import { InvalidCron, shown } from "../errors.ts";
import { checkTimeZone } from "./zone.ts";
import type { CronOptions, CronSpec } from "./spec.ts";

type UwsgiSpec = Extract<CronSpec, { kind: "uwsgi" }>;
type Field = "second" | "minute" | "hour" | "day" | "month" | "weekday";

// Highest value per field. A step -N beyond it could match at most the
// value 0, which only exists for minute/hour/weekday; keep one rule for all.
const MIN: Record<Field, number> = { second: 0, minute: 0, hour: 0, day: 1, month: 1, weekday: 0 };
const MAX: Record<Field, number> = { second: 59, minute: 59, hour: 23, day: 31, month: 12, weekday: 7 };

/**
 * Validates uWSGI's five cron numbers; throws `InvalidCron` naming the field.
 *
 * @example
 * parseUwsgiCron(0, 24, -1, -1, -1); // throws InvalidCron: field "hour" out of range: 24
 */
export function parseUwsgiCron(
  minute: number, hour: number, day: number, month: number, weekday: number, opts: CronOptions & { second?: number } = {},
): CronSpec {
  const values: Partial<Record<Field, number>> = { minute, hour, day, month, weekday };
  // Beyond uWSGI (--cron2 second=N): a seconds field; without it a match fires at second 0.
  if (opts.second !== undefined) values.second = opts.second;
  for (const f of Object.keys(values) as Field[]) {
    const v = values[f];
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw new InvalidCron(`field "${f}" must be an integer: got ${shown(v)}`);
    }
    if (v > MAX[f] || (v >= 0 && v < MIN[f]) || v < -MAX[f]) {
      throw new InvalidCron(`field "${f}" out of range: ${v}`);
    }
  }
  const spec: UwsgiSpec = { kind: "uwsgi", minute, hour, day, month, weekday: weekday === 7 ? 0 : weekday };
  if (opts.second !== undefined) spec.second = opts.second;
  if (opts.tz !== undefined) spec.tz = checkTimeZone(opts.tz);
  return spec;
}

/**
 * The croner pattern and day/weekday logic equal to a uWSGI spec.
 *
 * @example
 * uwsgiToCroner(parseUwsgiCron(0, 0, -2, -1, 1)); // { pattern: "0 0 2-31/2 * 1", domAndDow: true }
 */
export function uwsgiToCroner(spec: UwsgiSpec): { pattern: string; domAndDow: boolean } {
  const pattern = [
    ...(spec.second === undefined ? [] : [field(spec.second, "second")]),
    field(spec.minute, "minute"), field(spec.hour, "hour"), field(spec.day, "day"),
    field(spec.month, "month"), field(spec.weekday, "weekday"),
  ].join(" ");
  return { pattern, domAndDow: !(spec.day >= 0 && spec.weekday >= 0) };
}

function field(v: number, f: Field): string {
  if (v >= 0) return String(v);
  const n = -v;
  if (n === 1) return "*";
  // croner's "*/N" counts from the field's minimum, which is 1 for day and
  // month; uWSGI wants multiples of N, so start the range at N itself.
  return MIN[f] === 0 ? `*/${n}` : `${n}-${MAX[f]}/${n}`;
}

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
};

/**
 * A schedule as uWSGI's stats show a cron (minute, hour, day, month, week:
 * -1 any, -N every N). A crontab field uWSGI cannot say (a list, a range)
 * reads -1: the document's `schedule` has the exact rule.
 *
 * @example
 * uwsgiFieldsOf({ kind: "crontab", expr: "*\/5 2 * * *" }); // { minute: -5, hour: 2, day: -1, month: -1, week: -1 }
 */
export function uwsgiFieldsOf(spec: CronSpec): { minute: number; hour: number; day: number; month: number; week: number } {
  if (spec.kind === "uwsgi") return { minute: spec.minute, hour: spec.hour, day: spec.day, month: spec.month, week: spec.weekday };
  let parts = (MACROS[spec.expr.trim()] ?? spec.expr).trim().split(/\s+/);
  if (parts.length === 6) parts = parts.slice(1); // a seconds field first
  const one = (p: string | undefined): number => {
    if (p === undefined || p === "*" || p === "?") return -1;
    if (/^\d+$/.test(p)) return Number(p);
    const m = /^\*\/(\d+)$/.exec(p);
    return m ? -Number(m[1]) : -1;
  };
  return { minute: one(parts[0]), hour: one(parts[1]), day: one(parts[2]), month: one(parts[3]), week: one(parts[4]) };
}
