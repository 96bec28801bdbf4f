/**
 * The value of `--cron`: a schedule, then a shell command. uWSGI's form is
 * five integers (`-1` any, `-N` every N). Beyond uWSGI, a crontab string
 * works too, with 5 fields, 6 with seconds first (the sixth token then holds
 * only digits and `* / , -`), or a nickname (`@hourly`), and a leading
 * `CRON_TZ=Zone` (as in cronie) reads it in that IANA zone.
 *
 * @example
 * parseCronLine("0 2 -1 -1 -1 /usr/bin/backup");          // uWSGI: 02:00 every day
 * parseCronLine("CRON_TZ=Europe/Rome 30 2 * * * ./report"); // crontab, in Rome's time
 * parseCronLine("*\/10 * * * * * echo tick");               // every 10 seconds
 */
import { InvalidCron, UsageError } from "../errors.ts";
import { parseCrontab } from "./crontab.ts";
import type { CronSpec } from "./spec.ts";
import { parseUwsgiCron } from "./uwsgi-fields.ts";

const USAGE = `"MIN HOUR DAY MON WDAY COMMAND" (or a crontab string, optionally after CRON_TZ=Zone, then COMMAND)`;
const INTEGER = /^-?\d+$/;
const CRON_FIELD = /^[\d*/,-]+$/;

export function parseCronLine(text: string): { spec: CronSpec; command: string } {
  let rest = text.trim();
  let tz: string | undefined;
  const zone = /^CRON_TZ=(\S*)\s+/.exec(rest);
  if (zone) {
    tz = zone[1];
    rest = rest.slice(zone[0].length);
  }
  const tokens = rest.split(/\s+/);
  const uwsgi = tokens.length >= 5 && tokens.slice(0, 5).every((t) => INTEGER.test(t));
  const n = uwsgi ? 5 : tokens[0]?.startsWith("@") ? 1 : tokens.length >= 7 && CRON_FIELD.test(tokens[5]) ? 6 : 5;
  if (tokens.length < n) throw new UsageError(`--cron must be ${USAGE}: got "${text}"`);
  let spec: CronSpec;
  try {
    if (uwsgi) {
      const [minute, hour, day, month, weekday] = tokens.slice(0, 5).map(Number);
      spec = parseUwsgiCron(minute, hour, day, month, weekday, { tz });
    } else spec = parseCrontab(tokens.slice(0, n).join(" "), { tz });
  } catch (e) {
    // A bad option is a usage error (exit 2), still named InvalidCron.
    if (e instanceof InvalidCron) throw new InvalidCron(`--cron ${e.message}, in "${text}"`, 2);
    throw e;
  }
  const command = rest.replace(new RegExp(`^(\\S+\\s+){${n}}`), "").trim();
  if (tokens.length <= n || !command) throw new UsageError(`--cron has no command after its schedule: got "${text}"`);
  return { spec, command };
}
