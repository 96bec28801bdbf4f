/**
 * Catch-up after downtime: a small JSON file maps each schedule's key to the
 * instant it last fired, and `missedRun` finds the one run (the latest) that
 * fell inside the time the master was down.
 *
 * @example
 * const last = readLastFired(`${spool}/.cron-last-fired.json`, "sig:40");
 * const due = last && missedRun(schedule, last, new Date()); // run once if non-null
 * await writeLastFired(`${spool}/.cron-last-fired.json`, "sig:40", new Date());
 */
import { readFileSync } from "node:fs";
import { fsp } from "../base/lazy-builtins.ts";
import { basename, dirname, join } from "node:path";
import type { Schedule } from "./schedule.ts";

/**
 * Latest scheduled run in (lastFired, now], or null if none was missed.
 *
 * @example
 * missedRun(hourly, new Date("2025-01-01T09:00:00Z"), new Date("2025-01-01T12:30:00Z")); // 12:00Z
 */
export function missedRun(schedule: Schedule, lastFired: Date, now: Date): Date | null {
  const at = schedule.latest(now);
  return at && at.getTime() > lastFired.getTime() ? at : null;
}

/**
 * When `key` last fired according to `file`, or null. A missing, unreadable
 * or garbled record counts as none: catch-up is a convenience, never a
 * reason for the master not to start.
 *
 * @example
 * readLastFired("/var/spool/app/.cron-last-fired.json", "sig:40"); // Date | null
 */
export function readLastFired(file: string, key: string): Date | null {
  let record: unknown;
  try {
    record = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
  const v = record && typeof record === "object" ? (record as Record<string, unknown>)[key] : undefined;
  const at = typeof v === "string" ? new Date(v) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
}

// Writes to one file run one after another: each rewrites the whole record,
// so two interleaved read-modify-writes would lose one key.
const queues = new Map<string, Promise<void>>();

/**
 * Records that `key` fired at `at`: temp file, fsync, rename, fsync the
 * directory, so a crash leaves the old record or the new one. Async because
 * the master calls it on every fire and an fsync must not stall its loop.
 *
 * @example
 * await writeLastFired("/var/spool/app/.cron-last-fired.json", "sig:40", new Date());
 */
export function writeLastFired(file: string, key: string, at: Date): Promise<void> {
  const run = (queues.get(file) ?? Promise.resolve()).catch(() => {}).then(() => rewrite(file, key, at));
  queues.set(file, run);
  const forget = () => { if (queues.get(file) === run) queues.delete(file); };
  run.then(forget, forget);
  return run;
}

async function rewrite(file: string, key: string, at: Date): Promise<void> {
  let record: Record<string, string> = {};
  try {
    const old = JSON.parse(await fsp().readFile(file, "utf8"));
    if (old && typeof old === "object" && !Array.isArray(old)) record = old;
  } catch { /* first write, or garbled: start afresh */ }
  record[key] = at.toISOString();
  const dir = dirname(file);
  await fsp().mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    const fh = await fsp().open(tmp, "wx", 0o600);
    try {
      await fh.writeFile(JSON.stringify(record, null, 1) + "\n");
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp().rename(tmp, file);
  } catch (e) {
    await fsp().unlink(tmp).catch(() => {});
    throw e;
  }
  const d = await fsp().open(dir, "r");
  try { await d.sync(); } finally { await d.close(); }
}
