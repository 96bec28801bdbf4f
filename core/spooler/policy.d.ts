/**
 * Retry policy: how many failed attempts a task gets and how long it waits
 * between them. uWSGI retries a failing task forever with no pause; mulefarm
 * bounds both so that a task that always throws, or always kills its
 * process, ends in failed/ instead of looping.
 *
 * Defaults (a task that sets neither `retries` nor `backoff`):
 * - `retries` = 3: the task runs at most 4 times (1 + 3 retries);
 * - `backoff` = 1 s: waits 1 s, 2 s, 4 s, ... doubling, capped at 5 minutes.
 *
 * @example
 * const n = task.attempts + 1;              // the attempt that just failed
 * if (mayRetry(task, n)) await store.retry(claimed, { delayMs: backoffMs(task, n), error });
 * else await store.fail(claimed, error);
 */
import type { TaskRecord } from "./task.ts";
/** Failed attempts allowed after the first run when a task does not say. */
export declare const DEFAULT_RETRIES = 3;
/** Back-off base in seconds when a task does not say. */
export declare const DEFAULT_BACKOFF_S = 1;
/** No wait between attempts is longer than this. */
export declare const MAX_BACKOFF_MS: number;
/** True if a task whose `attempts`-th attempt just failed may run again. */
export declare function mayRetry(task: Pick<TaskRecord, "retries">, attempts: number): boolean;
/** Delay before the next run after the `attempts`-th failed attempt (1-based). */
export declare function backoffMs(task: Pick<TaskRecord, "backoff">, attempts: number): number;
