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
export const DEFAULT_RETRIES = 3;
/** Back-off base in seconds when a task does not say. */
export const DEFAULT_BACKOFF_S = 1;
/** No wait between attempts is longer than this. */
export const MAX_BACKOFF_MS = 5 * 60_000;

/** True if a task whose `attempts`-th attempt just failed may run again. */
export function mayRetry(task: Pick<TaskRecord, "retries">, attempts: number): boolean {
  return attempts <= (task.retries ?? DEFAULT_RETRIES);
}

/** Delay before the next run after the `attempts`-th failed attempt (1-based). */
export function backoffMs(task: Pick<TaskRecord, "backoff">, attempts: number): number {
  const base = (task.backoff ?? DEFAULT_BACKOFF_S) * 1000;
  if (!(base > 0)) return 0;
  const exp = Math.min(Math.max(attempts - 1, 0), 30); // 2^30 s is far past the cap already
  return Math.min(base * 2 ** exp, MAX_BACKOFF_MS);
}
