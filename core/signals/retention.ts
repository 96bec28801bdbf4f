// Signals kept for a process that is dead, respawning or not ready yet: they
// wait (up to PENDING_FOR_DEAD per slot) and go to the slot's next process
// once it is ready. Each one remembers how many processes died before
// finishing it (its redeliveries, bounded by --signal-max-redeliveries).
import type { Slot } from "../engine.ts";

const PENDING_FOR_DEAD = 1024; // signals kept for a dead process until it is respawned
const TRIES = 256; //             a kept entry is num + TRIES × its redeliveries

export class Retention {
  private pending = new Map<Slot, number[]>();

  /** Keeps `num` (redelivered `tries` times) for `slot`'s next process; false when the slot already holds PENDING_FOR_DEAD. */
  keep(slot: Slot, num: number, tries: number): boolean {
    const q = this.pending.get(slot) ?? [];
    this.pending.set(slot, q);
    if (q.length >= PENDING_FOR_DEAD) return false;
    q.push(num + TRIES * tries);
    return true;
  }

  /** Hands over what waited for `slot`: [num, tries] pairs, oldest first. */
  take(slot: Slot): Array<[number, number]> {
    const q = this.pending.get(slot);
    if (!q) return [];
    this.pending.delete(slot);
    return q.map((n) => [n % TRIES, Math.floor(n / TRIES)]);
  }
}
