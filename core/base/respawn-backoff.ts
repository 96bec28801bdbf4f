// How long to wait before starting again something that keeps dying: a
// process the master respawns (supervisor.ts) or a sandboxed light mule its
// host restarts (plugins/sandbox/light-mule.ts). Only deaths in a row count,
// and a death after a long enough life starts the count over.
//
// @example
// deaths = quickDeaths(deaths, Date.now() - startedAt);
// setTimeout(restart, respawnDelayMs(deaths)); // 0, 0, 100, 200, 400 ... 10 000 ms

/** A child that dies sooner than this after starting counts as a crash loop. */
export const QUICK_DEATH_MS = 5000;
/** The longest wait between two starts. */
export const MAX_BACKOFF_MS = 10_000;

/** Deaths in a row after one more death `livedMs` after starting: one more if it was quick, else back to 0. */
export function quickDeaths(previous: number, livedMs: number): number {
  return livedMs < QUICK_DEATH_MS ? previous + 1 : 0;
}

/** The wait before the next start after `deaths` quick deaths in a row: none at first, then 100 ms doubling, capped. */
export function respawnDelayMs(deaths: number): number {
  return deaths <= 1 ? 0 : Math.min(100 * 2 ** (deaths - 2), MAX_BACKOFF_MS);
}
