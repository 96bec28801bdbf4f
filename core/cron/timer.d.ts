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
export declare function timerTick(startMs: number, intervalMs: number, k: number): number;
/**
 * Where a timer stands at `nowMs`, given that ticks up to `firedK` have fired.
 * The caller fires once if `due > 0`, sets `firedK = k - 1`, and sleeps until `at`.
 *
 * @example
 * nextTimerTick(0, 100, 550);     // { k: 6, at: 600, due: 5, missed: 4 }
 * nextTimerTick(0, 100, 550, 5);  // { k: 6, at: 600, due: 0, missed: 0 }
 */
export declare function nextTimerTick(startMs: number, intervalMs: number, nowMs: number, firedK?: number): TimerTick;
