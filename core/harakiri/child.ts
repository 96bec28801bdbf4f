// The child side of harakiri: arm and clear deadlines in this process's
// scoreboard. Cheap enough to run around every request.
import { ctx, childSetup } from "../runtime/context.ts";
import { Scoreboard, scorePath } from "./scoreboard.ts";
import { UsageError, shown } from "../errors.ts";
import { MAX_SECONDS } from "../config.ts";

let board: Scoreboard | null = null;

childSetup.push(() => {
  if (ctx.role === "control" || ctx.role === "bench") return;
  try {
    board = new Scoreboard(scorePath(ctx.runtimeDir, process.pid), true);
  } catch {
    board = null; // no shared memory here: harakiri is unavailable, everything else works
  }
});

/** Arms a deadline of `seconds` for the work named `label`; 0 or less clears it. */
export function armHarakiri(seconds: number | undefined, label: string): void {
  if (!board || !seconds || seconds <= 0) return;
  board.set(Date.now() + seconds * 1000, label);
}

/** Arms an absolute deadline (epoch ms). */
export function armDeadline(deadlineMs: number, label: string): void {
  board?.set(deadlineMs, label);
}

export function clearHarakiri(): void {
  board?.clear();
}

/**
 * uWSGI's set_user_harakiri: this process is killed if still running after
 * `seconds`; 0 clears.
 */
export function setUserHarakiri(seconds: number): void {
  checkHarakiriSeconds(seconds);
  if (!board) return;
  board.setUser(seconds > 0 ? Date.now() + seconds * 1000 : 0);
}

/** `harakiri(10)(fn)`: fn must finish within 10 s or the process is killed. */
export function harakiri(seconds: number) {
  checkHarakiriSeconds(seconds);
  return <F extends (...a: any[]) => any>(fn: F): F => (async (...args: any[]) => {
    setUserHarakiri(seconds);
    try { return await fn(...args); } finally { setUserHarakiri(0); }
  }) as unknown as F;
}

/** 0 clears the deadline; NaN, a negative or an over-long span is a mistake, not "no deadline". */
function checkHarakiriSeconds(seconds: unknown): void {
  if (typeof seconds !== "number" || !(seconds >= 0) || seconds > MAX_SECONDS) {
    throw new UsageError(`harakiri seconds must be 0 (none) up to ${MAX_SECONDS}: got ${shown(seconds)}`);
  }
}
