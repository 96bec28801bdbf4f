/**
 * The values of `--cron` and `--cron2`. `--cron`: a schedule, then a shell command. uWSGI's form is
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
import { InvalidCron, UsageError, refused } from "../errors.ts";
import { parseCrontab } from "./crontab.ts";
import type { CronSpec } from "./spec.ts";
import { parseUwsgiCron } from "./uwsgi-fields.ts";
import { Schedule } from "./schedule.ts";
import { MAX_SECONDS } from "../config.ts";

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
  checkFires(spec, "--cron", text);
  return { spec, command };
}

/** A schedule with no date at all ("* * 31 2 *": February 31st) would be accepted and never run: refused. */
function checkFires(spec: CronSpec, option: string, text: string): void {
  if (new Schedule(spec).next(new Date()) === null) throw new InvalidCron(`${option} schedule never fires (no date matches it): in "${text}"`, 2);
}

/** A `--cron2` line: its schedule and command, and what uWSGI lets each line set. */
export interface Cron2Line { spec: CronSpec; command: string; overlap: "skip" | "allow"; harakiri?: number }

const CRON2_FIELDS = ["minute", "hour", "day", "month", "week", "second"] as const;
const CRON2_KEYS = `${CRON2_FIELDS.join(", ")}, weekday, unique, harakiri`;

/**
 * The value of uWSGI's `--cron2`: `key=value` pairs separated by commas,
 * then the command. Fields (`minute hour day month week`, uWSGI's -1/-N) a
 * line leaves out are -1; a line with no `key=` part is a command that runs
 * every minute. `unique=0` lets runs overlap (default: skip while the previous
 * run is going, as our `--cron`; uWSGI's default lets them overlap);
 * `harakiri=S` overrides `--cron-harakiri` for the line (0: none). Beyond
 * uWSGI, `second=N` makes the schedule second-granular.
 *
 * @example
 * parseCron2Line("minute=-5,unique=1,harakiri=60 /usr/bin/sync"); // every 5 minutes
 * parseCron2Line("second=-10 echo tick");                        // every 10 seconds
 */
export function parseCron2Line(text: string): Cron2Line {
  const rest = text.trim();
  const sp = rest.search(/\s/);
  const head = sp < 0 ? rest : rest.slice(0, sp);
  const fields: Record<string, number> = {};
  let overlap: "skip" | "allow" = "skip";
  let harakiri: number | undefined;
  let command = rest;
  const seen = new Set<string>();
  if (head.includes("=")) {
    command = sp < 0 ? "" : rest.slice(sp).trim();
    for (const pair of head.split(",")) {
      const [k, v, extra] = pair.split("=");
      const key = k === "weekday" ? "week" : k;
      if (key === "legion") throw new UsageError(`--cron2 key "legion" is not supported (mulefarm has no legions): in "${text}"`);
      if (![...CRON2_FIELDS, "unique", "harakiri"].includes(key)) throw new UsageError(`--cron2 unknown key "${k}" (known: ${CRON2_KEYS}): in "${text}"`);
      if (extra !== undefined || v === undefined || !/^-?\d+$/.test(v)) throw new UsageError(`${refused("--cron2 fields must be KEY=INTEGER", pair)}, in "${text}"`);
      const n = Number(v);
      if (seen.has(key)) throw new UsageError(`--cron2 key "${k}" is given twice: in "${text}"`);
      seen.add(key);
      if ((CRON2_FIELDS as readonly string[]).includes(key)) fields[key] = n;
      else if (key === "unique") {
        if (n !== 0 && n !== 1) throw new UsageError(`--cron2 unique must be 0 or 1: got ${v}, in "${text}"`);
        overlap = n ? "skip" : "allow";
      } else if (key === "harakiri") {
        if (n < 0 || n > MAX_SECONDS) throw new UsageError(`--cron2 harakiri must be 0..${MAX_SECONDS} seconds: got ${v}, in "${text}"`);
        harakiri = n;
      }
    }
  }
  if (!command) throw new UsageError(`--cron2 has no command after its keys: got "${text}"`);
  const f = (k: string) => fields[k] ?? -1;
  let spec: CronSpec;
  try {
    spec = parseUwsgiCron(f("minute"), f("hour"), f("day"), f("month"), f("week"), { second: fields.second });
  } catch (e) {
    if (e instanceof InvalidCron) throw new InvalidCron(`--cron2 ${e.message.replace('"weekday"', '"week"')}, in "${text}"`, 2);
    throw e;
  }
  checkFires(spec, "--cron2", text);
  return { spec, command, overlap, harakiri };
}
