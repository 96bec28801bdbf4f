// What a role calls at the two turning points of a child's life: once its code
// is loaded (runPostfork: the postfork hooks run, later ones run at once), and
// when its code cannot be loaded at all (fatal: one line to the master, then
// exit). It sits below the roles and the bootstrap that starts them.
import { pack } from "msgpackr/pack";
import { MulefarmError, oneLine } from "../errors.ts";
import type { Channel } from "../ipc/channel.ts";
import { EXIT_FATAL, Kind } from "../ipc/types.ts";
import { log } from "../log.ts";
import { postforkHooks } from "../runtime/context.ts";
import { describeLoadError } from "../runtime/load-errors.ts";

/**
 * Reports a failure to load this child's code to the master and exits with
 * EXIT_FATAL: at an instance's first start that stops the instance with one
 * line (exit 2 for usage errors, 1 for errors in user code); later it is a
 * crash like any other, respawned with back-off.
 */
export function fatal(channel: Channel, e: unknown): void {
  const line = describeLoadError(e);
  channel.send(Kind.Log, pack({ fatal: true, line, code: e instanceof MulefarmError ? e.exitCode : 1 }));
  channel.flush();
  log(line);
  // A moment for the frame to leave before the process does.
  setTimeout(() => process.exit(EXIT_FATAL), 20);
}

let postforkRan = false;

/** True once this child's postfork hooks ran (a hook registered later runs at once). */
export function postforkDone(): boolean {
  return postforkRan;
}

export async function runPostfork(): Promise<void> {
  for (const h of postforkHooks) {
    try { await h(); } catch (e) { log(`postfork hook failed: ${oneLine(e)}`); }
  }
  postforkRan = true;
}
