/**
 * Signals, timers, cron and file monitors: uWSGI's signal framework. The
 * master owns the table and the clocks; handlers run in target processes.
 *
 * @example
 * import { signal, timer, cron, raiseSignal } from "mulefarm";
 * signal(17, { target: "mule2" })(() => console.log("in mule 2"));
 * timer(0.25, { target: "mules" })(() => tick());             // millisecond timers
 * cron("*\/5 * * * *", { tz: "Europe/Rome" })(() => cleanup());
 * await raiseSignal(17);
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidCron, InvalidSignal, UsageError, oneLine, shown, refused } from "../errors.ts";
import { MAX_SECONDS } from "../config.ts";
import { log } from "../log.ts";
import { ctx } from "../runtime/context.ts";
import { parseCrontab, parseUwsgiCron, Schedule } from "../cron/index.ts";
import type { CronSpec } from "../cron/spec.ts";
import { allocateSignal, raiseSignal, registerSignal as registerInChild, type SignalHandler, signalReceived, signalRegistered, signalWait } from "../signals/child.ts";
import { checkSignalNumber, parseTarget } from "../signals/targets.ts";
import { tracing } from "../trace/state.ts";

export { raiseSignal, signalReceived, signalRegistered, signalWait };
export type { SignalHandler };

/** Registers `fn` as the handler of `num` in `target`'s processes (uWSGI's register_signal). */
export function registerSignal(num: number, target: string, fn: SignalHandler): Promise<void> {
  checkSignalNumber(num);
  // Refused now, not when the signal first arrives in some other process.
  if (typeof fn !== "function") throw new InvalidSignal(`signal ${num} handler must be a function: got ${shown(fn)}`);
  return registerInChild(num, target, fn);
}

function master(op: string, args: unknown): Promise<any> {
  if (!ctx.channel) return Promise.resolve(null); // outside mulefarm: nothing schedules it
  return ctx.channel.request(op, args);
}

function checkSeconds(what: string, s: unknown): number {
  if (typeof s !== "number" || !Number.isFinite(s) || s <= 0) throw new UsageError(`${what} interval must be a positive number of seconds: got ${shown(s)}`);
  if (s > MAX_SECONDS) throw new UsageError(`${what} interval must be at most ${MAX_SECONDS} seconds (24 days): got ${shown(s)}`);
  return s;
}

/** Raises `num` every `seconds` (fractions allowed: 0.01 = 10 ms). Drift-free: tick k at start + k·interval. */
export function addTimer(num: number, seconds: number): Promise<void> {
  checkSignalNumber(num);
  checkSeconds("timer", seconds);
  return master("signal.timer", { num, seconds, kind: "timer" });
}

/** Like addTimer, stopping after `iterations` ticks (0 = forever). */
export function addRbTimer(num: number, seconds: number, iterations = 0): Promise<void> {
  checkSignalNumber(num);
  checkSeconds("rb timer", seconds);
  if (!Number.isInteger(iterations) || iterations < 0) throw new UsageError(refused("rb timer iterations must be a non-negative integer", iterations));
  return master("signal.timer", { num, seconds, iterations, kind: "rbtimer" });
}

export interface CronOptions {
  /** IANA time zone the schedule is read in (default: the process's). */
  tz?: string;
  /** "skip" (default): a run due while the previous one is still going is skipped. */
  overlap?: "skip" | "allow";
  /** Run once at start for a run missed while the instance was down (needs a --spooler dir for the record, or unique "cluster"). */
  catchUp?: boolean;
  /** "cluster": once per scheduled time across every instance on the instance's --redis (the record of catchUp is kept there). */
  unique?: "cluster";
}

/**
 * `addCron(num, minute, hour, day, month, weekday)` with uWSGI's meaning
 * (-1 any, -N every N, day OR weekday), or `addCron(num, "*\/5 * * * *", { tz })`.
 */
export function addCron(num: number, ...spec: [string, CronOptions?] | [number, number, number, number, number, CronOptions?]): Promise<void> {
  checkSignalNumber(num);
  const { args } = cronArgs(spec);
  return master("signal.cron", { num, ...args });
}

function cronArgs(spec: unknown[]): { args: Record<string, unknown> } {
  if (typeof spec[0] === "string") {
    const opts = (spec[1] ?? {}) as CronOptions;
    neverFires(parseCrontab(spec[0], { tz: opts.tz })); // InvalidCron now, at registration
    return { args: { expr: spec[0], tz: opts.tz, overlap: opts.overlap, catchUp: opts.catchUp, ...uniqueOf(opts) } };
  }
  const fields = spec.slice(0, 5) as number[];
  const opts = (spec[5] ?? {}) as CronOptions;
  neverFires(parseUwsgiCron(...(fields as [number, number, number, number, number]), { tz: opts.tz }));
  return { args: { fields, tz: opts.tz, overlap: opts.overlap, catchUp: opts.catchUp, ...uniqueOf(opts) } };
}

function uniqueOf(opts: CronOptions): { unique?: "cluster" } {
  if (opts.unique === undefined) return {};
  if (opts.unique !== "cluster") throw new UsageError(refused(`cron unique must be "cluster"`, opts.unique));
  return { unique: "cluster" };
}

/** A schedule no date matches (February 31st) is refused rather than registered to never run. */
function neverFires(spec: CronSpec): void {
  if (new Schedule(spec).next(new Date()) === null) throw new InvalidCron(`cron schedule never fires (no date matches it)`);
}

/** Raises `num` when `path` (a file or a directory, not recursive) changes; bursts within 100 ms are one signal. */
export function addFileMonitor(num: number, path: string): Promise<void> {
  checkSignalNumber(num);
  const abs = resolve(path);
  if (!existsSync(abs)) throw new UsageError(`file monitor path does not exist: ${abs}`);
  return master("signal.filemon", { num, path: abs });
}

// ----------------------------------------------------------- wrappers

type Target = { target?: string };
const occurrences = new Map<string, number>();

/** A key every process derives the same way for the same wrapper call. */
function wrapperKey(kind: string, fn: (...a: any[]) => unknown, params: unknown): string {
  const base = `${kind}:${fn.name || "anonymous"}:${JSON.stringify(params)}`;
  const n = occurrences.get(base) ?? 0;
  occurrences.set(base, n + 1);
  return `${base}#${n}`;
}

function withFreeSignal(kind: string, fn: SignalHandler, params: unknown, target: string | undefined, then: (num: number, key: string) => Promise<unknown>): void {
  parseTarget(target ?? "", ctx.config); // a bad target fails now
  if (!ctx.channel) return;
  const key = wrapperKey(kind, fn, params);
  if (tracing) tracing.label(fn, kind, params); // its spans are named "cron …", "timer 3s" instead of "signal N"
  allocateSignal(key)
    .then((num) => registerSignal(num, target ?? "", fn).then(() => then(num, key)))
    .catch((e) => log(`${kind} registration failed: ${oneLine(e)}`));
}

/** `signal(17, { target: "mule2" })(fn)`: uwsgidecorators' @signal. */
export function signal(num: number, opts: Target = {}) {
  checkSignalNumber(num);
  parseTarget(opts.target ?? "", ctx.config);
  return <F extends SignalHandler>(fn: F): F => {
    registerSignal(num, opts.target ?? "", fn).catch(() => {});
    return fn;
  };
}

/** `timer(3, { target: "spooler" })(fn)`: runs fn every 3 s in the target. */
export function timer(seconds: number, opts: Target = {}) {
  checkSeconds("timer", seconds);
  return <F extends SignalHandler>(fn: F): F => {
    withFreeSignal("timer", fn, { seconds, t: opts.target }, opts.target, (num) => addTimer(num, seconds));
    return fn;
  };
}

/** `rbtimer(0.5, { target, iterations })(fn)`. */
export function rbtimer(seconds: number, opts: Target & { iterations?: number } = {}) {
  checkSeconds("rb timer", seconds);
  return <F extends SignalHandler>(fn: F): F => {
    withFreeSignal("rbtimer", fn, { seconds, t: opts.target, i: opts.iterations }, opts.target, (num) => addRbTimer(num, seconds, opts.iterations ?? 0));
    return fn;
  };
}

/** `cron(40, 2, -1, -1, -1)(fn)` or `cron("*\/5 * * * *", { tz, target })(fn)`. */
export function cron(expr: string, opts?: CronOptions & Target): <F extends SignalHandler>(fn: F) => F;
export function cron(minute: number, hour: number, day: number, month: number, weekday: number, opts?: CronOptions & Target): <F extends SignalHandler>(fn: F) => F;
export function cron(...spec: any[]) {
  const { args } = cronArgs(spec);
  const opts = (typeof spec[0] === "string" ? spec[1] : spec[5]) ?? {};
  return <F extends SignalHandler>(fn: F): F => {
    // A unique cron is known across instances by its wrapper's key (function name, schedule, occurrence), not by
    // its signal number, which depends on the order each instance's code registered its wrappers in.
    withFreeSignal("cron", fn, args, opts.target, (num, key) => master("signal.cron", { num, ...args, ...(args.unique ? { name: key } : {}) }));
    return fn;
  };
}

/** `filemon("/tmp", { target: "mules" })(fn)`. */
export function filemon(path: string, opts: Target = {}) {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new UsageError(`file monitor path does not exist: ${abs}`);
  return <F extends SignalHandler>(fn: F): F => {
    withFreeSignal("filemon", fn, { path: abs, t: opts.target }, opts.target, (num) => addFileMonitor(num, abs));
    return fn;
  };
}
