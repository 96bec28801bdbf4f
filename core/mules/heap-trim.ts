// The master path makes garbage at the message rate (a few small objects per
// message: frame views, the queued record, the delivery's writer closure).
// Under Bun a flood of farm messages let the master's heap grow to over 1 GB
// (0.4 M messages/s; the direct path leaves the master at ~50 MB; Deno's
// collector kept it near 280 MB) before the runtime collected: a container
// with a 512 MB limit would have its master OOM-killed. So the master looks
// at its RSS every CHECK_MS and, past RSS_LIMIT, asks for a full collection
// (core/adapter/gc.ts; a no-op where the runtime exposes none). Collections
// take at most about a quarter of the time: after one that took d ms, the
// next waits at least 3 × d, so a master that really holds much live data is
// not collected over and over. Measured (test/chaos/master-rss.ts, 20 s,
// Bun, on a shared machine): peak 153 MB, median 130 MB, instead of 1,007 and
// 552 MB, at the same message rate.
import { forceGc } from "../adapter/gc.ts";
import { unrefTimer } from "../base/timers.ts";

const CHECK_MS = 100;
const RSS_LIMIT = 100 * 1024 * 1024;

export function trimHeapWhileRunning(): () => void {
  let nextAt = 0;
  const t = unrefTimer(setInterval(() => {
    const now = performance.now();
    if (now < nextAt || process.memoryUsage.rss() <= RSS_LIMIT) return;
    forceGc();
    nextAt = now + 3 * (performance.now() - now);
  }, CHECK_MS));
  return () => clearInterval(t);
}
