/**
 * Drift-free periodic timer arithmetic. Tick k is due at start + k·interval,
 * always computed from the start, never by adding the interval to the last
 * wake-up, so late wake-ups do not push later ticks back. Tick 0 is the
 * arming instant and never fires (uWSGI: first fire one period after arming).
 *
 * @example
 * timerTick(1_000, 250, 4);                 // 2_000
 * nextTimerTick(1_000, 250, 2_010, 3);      // { k: 5, at: 2_250, due: 1, missed: 0 }
 */
import { UsageError, refused } from "../errors.ts";

export interface TimerTick {
  /** The next tick to wait for: the first one strictly after `nowMs`. */
  k: number;
  /** When tick `k` is due (same clock as `startMs`). */
  at: number;
  /** Ticks after `firedK` already due at `nowMs`: fire once now if > 0. */
  due: number;
  /** Due ticks beyond the first, coalesced away (the clock jumped or we stalled). */
  missed: number;
}

/**
 * When tick `k` is due.
 *
 * @example
 * timerTick(0, 100, 10); // 1000
 */
export function timerTick(startMs: number, intervalMs: number, k: number): number {
  checkInterval(intervalMs);
  if (!Number.isInteger(k) || k < 0) throw new UsageError(refused("timer tick must be a non-negative integer", k));
  return startMs + k * intervalMs;
}

/**
 * Where a timer stands at `nowMs`, given that ticks up to `firedK` have fired.
 * The caller fires once if `due > 0`, sets `firedK = k - 1`, and sleeps until `at`.
 *
 * @example
 * nextTimerTick(0, 100, 550);     // { k: 6, at: 600, due: 5, missed: 4 }
 * nextTimerTick(0, 100, 550, 5);  // { k: 6, at: 600, due: 0, missed: 0 }
 */
export function nextTimerTick(startMs: number, intervalMs: number, nowMs: number, firedK = 0): TimerTick {
  checkInterval(intervalMs);
  let k = Math.max(1, Math.floor((nowMs - startMs) / intervalMs) + 1);
  // The division can land one off when k·interval is not exact in binary;
  // settle on the product itself, which is what the caller will compare.
  while (startMs + k * intervalMs <= nowMs) k++;
  while (k > 1 && startMs + (k - 1) * intervalMs > nowMs) k--;
  const due = Math.max(0, k - 1 - firedK);
  return { k, at: startMs + k * intervalMs, due, missed: Math.max(0, due - 1) };
}

function checkInterval(intervalMs: number): void {
  if (typeof intervalMs !== "number" || !Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new UsageError(refused("timer interval must be a positive number of seconds", Number(intervalMs) / 1000));
  }
}
