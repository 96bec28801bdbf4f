// Process liveness and synchronous sleeping, shared by every engine that waits
// on a word in shared memory. Atomics.wait cannot sleep on a mapped file (it
// is not a SharedArrayBuffer), but it can sleep on a private one: that is the
// synchronous back-off used here.

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
 * True when `pid` no longer runs: `kill(pid, 0)` fails with ESRCH, or (with
 * `zombies`, Linux only) /proc says it is a zombie that nobody reaped yet: a
 * SIGKILLed child stays a zombie until its parent waits for it, and a zombie
 * holds no lock.
 */
export function isProcessDead(pid: number, zombies = false): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e: any) {
    if (e?.code === "ESRCH") return true;
    return false; // EPERM: alive, owned by another user
  }
  if (!zombies) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state === "Z" || state === "X";
  } catch {
    return false; // no /proc: trust kill()
  }
}
