// Signals kept for a process that is dead, respawning or not ready yet: they
// wait (up to PENDING_FOR_DEAD per slot) and go to the slot's next process
// once it is ready. Each one remembers whether it is a second delivery (the
// process it was delivered to died before finishing it): such a signal is
// never delivered a third time.
import type { Slot } from "../master/types.ts";

const PENDING_FOR_DEAD = 1024; // signals kept for a dead process until it is respawned
const AGAIN = 256; //             added to a kept number: it is a second delivery

export class Retention {
  private pending = new Map<Slot, number[]>();

  /** Keeps `num` for `slot`'s next process; false when the slot already holds PENDING_FOR_DEAD. */
  keep(slot: Slot, num: number, again: boolean): boolean {
    const q = this.pending.get(slot) ?? [];
    this.pending.set(slot, q);
    if (q.length >= PENDING_FOR_DEAD) return false;
    q.push(again ? num + AGAIN : num);
    return true;
  }

  /** Hands over what waited for `slot`: [num, again] pairs, oldest first. */
  take(slot: Slot): Array<[number, boolean]> {
    const q = this.pending.get(slot);
    if (!q) return [];
    this.pending.delete(slot);
    return q.map((n) => [n % AGAIN, n >= AGAIN]);
  }
}
