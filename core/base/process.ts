// Process liveness and synchronous sleeping, shared by every engine that waits
// on a word in shared memory and by the spooler's recovery of dead claimers.
// Atomics.wait cannot sleep on a mapped file (it is not a SharedArrayBuffer),
// but it can sleep on a private one: that is the synchronous back-off used here.

import process from "node:process";
import { readFileSync } from "node:fs";

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the calling thread for about `ms` milliseconds (fractions allowed). */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Resolves after about `ms` milliseconds (0: the next macrotask). */
export function sleepAsync(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** This process's pid (what lock words hold). */
export const myPid: number = process.pid;

/**
 * True while `pid` names a running process: `kill(pid, 0)` succeeds, or fails
 * with EPERM (it runs, owned by another user). A pid that is not a positive
 * integer names no process.
 *
 * A zombie (exited, not yet reaped by its parent) runs no code and holds
 * nothing: a SIGKILLed child stays one until its parent waits for it. So it
 * counts as dead, which on Linux means reading /proc/PID/stat. That read is a
 * file access: a caller spinning on a word (locks, cache readers) passes
 * `zombies = false` on most rounds, and a zombie then counts as alive until it
 * is reaped or the next round that looks.
 *
 * @example
 * await store.recover(pidIsAlive);
 */
export function pidIsAlive(pid: number, zombies = true): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e: any) {
    return e?.code === "EPERM";
  }
  if (!zombies) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return true; // no /proc: trust kill()
  }
}
