// Recycling a child from inside: it asks for its own graceful stop (SIGTERM:
// in-flight work is finished within --reload-mercy, queued mule messages and
// spool tasks stay for its successor) and the master starts a fresh one, as
// for any child that exits. Used for --reload-on-rss (workers; uWSGI's),
// --mule-reload-on-rss / --spooler-reload-on-rss (PM2's max_memory_restart for
// every kind of process) and --max-worker-lifetime.
import { log } from "../log.ts";
import { unrefTimer } from "../base/timers.ts";

let asked = false;

/** Stops this process gracefully once, saying why; the master respawns it. */
export function recycle(why: string): void {
  if (asked) return;
  asked = true;
  log(`${why}: recycling`);
  process.kill(process.pid, "SIGTERM");
}

/**
 * Recycles this process once its RSS passes `limitMb`, looked at every
 * second (uWSGI looks after each request; a look a second costs nothing per
 * request and is as good for a leak).
 *
 * @example
 * recycleOverRss(cfg.reloadOnRss, "--reload-on-rss");
 */
export function recycleOverRss(limitMb: number | undefined, option: string): void {
  if (!limitMb) return;
  const t = setInterval(() => {
    const mb = process.memoryUsage.rss() / 1048576;
    if (mb <= limitMb) return;
    clearInterval(t);
    recycle(`RSS ${mb.toFixed(0)} MB is over --${option} ${limitMb} MB`);
  }, 1000);
  unrefTimer(t);
}

/** Recycles this process after `seconds` of life (uWSGI's --max-worker-lifetime). */
export function recycleAfter(seconds: number | undefined, option: string): void {
  if (!seconds) return;
  const t = setTimeout(() => recycle(`alive for ${seconds} s (--${option})`), seconds * 1000);
  unrefTimer(t);
}
