import { raiseSignal, registerSignal, type SignalHandler, signalReceived, signalRegistered, signalWait } from "../signals/child.ts";
export { raiseSignal, registerSignal, signalReceived, signalRegistered, signalWait };
export type { SignalHandler };
/** Raises `num` every `seconds` (fractions allowed: 0.01 = 10 ms). Drift-free: tick k at start + k·interval. */
export declare function addTimer(num: number, seconds: number): Promise<void>;
/** Like addTimer, stopping after `iterations` ticks (0 = forever). */
export declare function addRbTimer(num: number, seconds: number, iterations?: number): Promise<void>;
export interface CronOptions {
    /** IANA time zone the schedule is read in (default: the process's). */
    tz?: string;
    /** "skip" (default): a run due while the previous one is still going is skipped. */
    overlap?: "skip" | "allow";
    /** Run once at start for a run missed while the instance was down (needs a --spooler dir for the record). */
    catchUp?: boolean;
}
/**
 * `addCron(num, minute, hour, day, month, weekday)` with uWSGI's meaning
 * (-1 any, -N every N, day OR weekday), or `addCron(num, "*\/5 * * * *", { tz })`.
 */
export declare function addCron(num: number, ...spec: [string, CronOptions?] | [number, number, number, number, number, CronOptions?]): Promise<void>;
/** Raises `num` when `path` (a file or a directory, not recursive) changes; bursts within 100 ms are one signal. */
export declare function addFileMonitor(num: number, path: string): Promise<void>;
type Target = {
    target?: string;
};
/** `signal(17, { target: "mule2" })(fn)`: uwsgidecorators' @signal. */
export declare function signal(num: number, opts?: Target): <F extends SignalHandler>(fn: F) => F;
/** `timer(3, { target: "spooler" })(fn)`: runs fn every 3 s in the target. */
export declare function timer(seconds: number, opts?: Target): <F extends SignalHandler>(fn: F) => F;
/** `rbtimer(0.5, { target, iterations })(fn)`. */
export declare function rbtimer(seconds: number, opts?: Target & {
    iterations?: number;
}): <F extends SignalHandler>(fn: F) => F;
/** `cron(40, 2, -1, -1, -1)(fn)` or `cron("*\/5 * * * *", { tz, target })(fn)`. */
export declare function cron(expr: string, opts?: CronOptions & Target): <F extends SignalHandler>(fn: F) => F;
export declare function cron(minute: number, hour: number, day: number, month: number, weekday: number, opts?: CronOptions & Target): <F extends SignalHandler>(fn: F) => F;
/** `filemon("/tmp", { target: "mules" })(fn)`. */
export declare function filemon(path: string, opts?: Target): <F extends SignalHandler>(fn: F) => F;
