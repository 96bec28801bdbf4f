/**
 * Crontab strings: 5 fields, or 6 with seconds first, or a nickname croner
 * knows (@hourly, @daily, ...). croner parses and validates; we only give
 * its complaint our error class and the expression it was about.
 *
 * @example
 * parseCrontab("*\/5 * * * *", { tz: "Europe/Rome" });
 * parseCrontab("x y"); // throws InvalidCron: cannot parse cron expression "x y": ...
 */
import { Cron } from "croner";
import { InvalidCron, refused } from "../errors.ts";
import { checkTimeZone } from "./zone.ts";
import type { CronOptions, CronSpec } from "./spec.ts";

/** croner's mode for our crontab strings: no 7-field (year) patterns. */
export const CRONTAB_MODE = "5-or-6-parts" as const;

/**
 * Parses and validates a crontab expression.
 *
 * @example
 * parseCrontab("* * * * * *"); // every second
 */
export function parseCrontab(expr: string, opts: CronOptions = {}): CronSpec {
  if (typeof expr !== "string") throw new InvalidCron(refused("cron expression must be a string", expr));
  const tz = opts.tz === undefined ? undefined : checkTimeZone(opts.tz);
  const text = expr.trim();
  try {
    new Cron(text, { paused: true, mode: CRONTAB_MODE });
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).replace(/^CronPattern:\s*/, "");
    throw new InvalidCron(`cannot parse cron expression ${JSON.stringify(expr)}: ${fieldReason(text, reason)}`);
  }
  return tz === undefined ? { kind: "crontab", expr: text } : { kind: "crontab", expr: text, tz };
}

const FIELDS = ["second", "minute", "hour", "day", "month", "weekday"];

// croner 11 says "Invalid value for day: 31" about a 32 (it reports day and
// month after shifting them to 0-based), so name the field and quote the
// token as written instead.
function fieldReason(text: string, reason: string): string {
  const m = /^Invalid value for (\w+):/.exec(reason);
  if (!m) return reason;
  const name = m[1] === "dayOfWeek" ? "weekday" : m[1];
  const parts = text.split(/\s+/);
  const token = parts[FIELDS.indexOf(name) - (parts.length === 5 ? 1 : 0)];
  return token === undefined ? reason : `field "${name}" out of range: ${token}`;
}
