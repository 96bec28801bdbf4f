import type { Schedule } from "./schedule.ts";
/**
 * Latest scheduled run in (lastFired, now], or null if none was missed.
 *
 * @example
 * missedRun(hourly, new Date("2025-01-01T09:00:00Z"), new Date("2025-01-01T12:30:00Z")); // 12:00Z
 */
export declare function missedRun(schedule: Schedule, lastFired: Date, now: Date): Date | null;
/**
 * When `key` last fired according to `file`, or null. A missing, unreadable
 * or garbled record counts as none: catch-up is a convenience, never a
 * reason for the master not to start.
 *
 * @example
 * readLastFired("/var/spool/app/.cron-last-fired.json", "sig:40"); // Date | null
 */
export declare function readLastFired(file: string, key: string): Date | null;
/**
 * Records that `key` fired at `at`: temp file, fsync, rename, fsync the
 * directory, so a crash leaves the old record or the new one. Async because
 * the master calls it on every fire and an fsync must not stall its loop.
 *
 * @example
 * await writeLastFired("/var/spool/app/.cron-last-fired.json", "sig:40", new Date());
 */
export declare function writeLastFired(file: string, key: string, at: Date): Promise<void>;
