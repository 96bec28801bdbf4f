// The master's timers (add_timer, add_rb_timer, --timer, --rbtimer): tick k
// of a timer is due at start + k·interval on the monotonic clock, so late
// wake-ups never accumulate into drift. Each tick is raised through `raise`.
import { InvalidSignal, UsageError, refused } from "../errors.ts";
import { nextTimerTick } from "../cron/index.ts";
import { checkSignalNumber } from "./targets.ts";

const EARLY_MS = 2; //               timers wake this much before their tick (see arm)
const AHEAD_MS = 3; //               ... or send it this much ahead, with its time, to its target
const AHEAD_MIN_INTERVAL_MS = 20; // (only for timers this slow: faster ones would have many ticks in flight)

/** Raises `num`; `at` (performance.timeOrigin-based ms): the target runs it then, not on arrival. */
export type Raise = (num: number, why: string, at?: number) => unknown;

export type TimerKind = "timer" | "rbtimer";

interface Timer { num: number; interval: number; start: number; fired: number; iterations: number; kind: TimerKind; handle?: ReturnType<typeof setTimeout>; next: number }

/**
 * @example
 * const timers = new TimerClock((num, why, at) => engine.route(num, why, at));
 * timers.add(17, 0.25, 0, "timer"); // signal 17 every 250 ms
 */
export class TimerClock {
  private timers = new Map<number, Timer>();
  private stopped = false;

  constructor(private raise: Raise) {}

  /** Every process that imports the registering module asks again: the same timer is one timer; another one for the number is an error. */
  add(num: number, seconds: number, iterations: number, kind: TimerKind): true {
    checkSignalNumber(num);
    if (!(typeof seconds === "number" && seconds > 0 && Number.isFinite(seconds))) throw new UsageError(refused("timer interval must be a positive number of seconds", seconds));
    const old = this.timers.get(num);
    if (old) {
      if (old.interval === seconds * 1000 && old.kind === kind && old.iterations === iterations) return true;
      throw new InvalidSignal(`signal ${num} already has a ${old.kind} every ${old.interval / 1000} s: cannot add a ${kind} every ${seconds} s`);
    }
    const t: Timer = { num, interval: seconds * 1000, start: performance.now(), fired: 0, iterations, kind, next: 0 };
    this.timers.set(num, t);
    this.arm(t);
    return true;
  }

  /** Arms the next tick after `from` (default: now); ticks that already passed fire now, once. */
  private arm(t: Timer, from = 0) {
    if (this.stopped) return;
    const tick = nextTimerTick(t.start, t.interval, Math.max(performance.now(), from), t.fired);
    if (tick.due > 0) {
      t.fired = tick.k - 1;
      this.raise(t.num, t.kind);
      if (t.iterations > 0 && t.fired >= t.iterations) { this.timers.delete(t.num); return; }
    }
    t.next = Date.now() + (tick.at - performance.now());
    if (t.interval >= AHEAD_MIN_INTERVAL_MS) {
      // Hand the tick over a little early with its exact time: the target
      // runs it then, so neither this loop's wake-up nor the hop to the
      // target moves the tick.
      t.handle = setTimeout(() => this.sendAhead(t, tick.k, tick.at), Math.max(0, tick.at - performance.now() - AHEAD_MS));
      return;
    }
    // setTimeout fires up to a millisecond late: wake a little early, then
    // yield until the tick is due (sub-millisecond ticks, no drift).
    t.handle = setTimeout(() => this.untilDue(t, tick.at), Math.max(0, tick.at - performance.now() - EARLY_MS));
  }

  private sendAhead(t: Timer, k: number, at: number) {
    if (this.stopped) return;
    t.fired = k;
    this.raise(t.num, t.kind, performance.timeOrigin + at);
    if (t.iterations > 0 && t.fired >= t.iterations) { this.timers.delete(t.num); return; }
    this.arm(t, at);
  }

  private untilDue(t: Timer, at: number) {
    if (this.stopped) return;
    if (performance.now() >= at) this.arm(t);
    else setImmediate(() => this.untilDue(t, at));
  }

  stats() {
    return [...this.timers.values()].map((t) => ({ signal: t.num, kind: t.kind, interval_s: t.interval / 1000, fired: t.fired, iterations: t.iterations, next: new Date(t.next).toISOString() }));
  }

  stop() {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t.handle);
  }
}
