/** Returns `tz` if the runtime knows it, else throws `InvalidCron`. */
export declare function checkTimeZone(tz: string): string;
/** The process's own zone (what uWSGI's `localtime()` uses). */
export declare function localTimeZone(): string;
/** Wall-clock reading of `at` in `tz`, to the second: "2025-11-02 01:30:00". */
export declare function wallClock(at: Date, tz: string): string;
/**
 * True when the same wall-clock time already happened earlier, i.e. `at` is
 * in the second pass of a fall-back hour. The UTC offset shrinks at such a
 * transition by some `d` (1 h mostly, 30 min on Lord Howe), so the earlier
 * twin is exactly `d` before; we read `d` from the offset a day earlier,
 * since no zone changes its offset twice within a day.
 */
export declare function isRepeatedWallTime(at: Date, tz: string): boolean;
