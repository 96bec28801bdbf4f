// A mule's process stays alive while it has work pending: a getMessage()
// waiting, a send waiting for room, a signal wait. The channel to the master
// is ref'd only while something holds it, so a programmed mule whose program
// has finished exits (and is respawned) instead of idling forever.
import { ctx } from "./context.ts";

const holds = new Map<string, number>();
let enabled = false;

function apply() {
  if (!enabled) return;
  const ch = ctx.channel;
  if (!ch) return;
  let total = 0;
  for (const n of holds.values()) total += n;
  if (total > 0) ch.ref();
  else ch.unref();
}

export const keepAlive = {
  /** Turns the mechanism on (programmed mules only); before that the channel stays ref'd. */
  enable() {
    enabled = true;
    const ch = ctx.channel;
    if (ch) ch.onPending = (n) => (n > 0 ? keepAlive.hold("ipc-request") : keepAlive.release("ipc-request"));
    apply();
  },
  hold(what: string) {
    if (holds.get(what)) return;
    holds.set(what, 1);
    apply();
  },
  release(what: string) {
    const n = holds.get(what) ?? 0;
    if (n <= 0) return;
    holds.set(what, 0); // one hold per reason: released when its last user is done
    apply();
  },
};
