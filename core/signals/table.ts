// The signal table: which target each number is registered for, who
// registered it, and its counters; and numbers allocated by key (the same key
// gets the same number in every process).
import type { Config } from "../config.ts";
import { InvalidSignal } from "../errors.ts";
import type { Slot } from "../engine.ts";
import { checkSignalNumber, parseTarget, type SignalTarget } from "./targets.ts";

export interface Entry { target: SignalTarget; raised: number; delivered: number; refused: number; registrants: Set<number> }

export class SignalTable {
  private entries = new Map<number, Entry>();
  private alloc = new Map<string, number>();

  constructor(private config: Config) {}

  get(num: number): Entry | undefined {
    return this.entries.get(num);
  }

  has(num: number): boolean {
    return this.entries.has(num);
  }

  register(slot: Slot, num: number, targetText: string): true {
    checkSignalNumber(num);
    const target = parseTarget(targetText, this.config);
    const e = this.entries.get(num);
    if (e && e.target.text !== target.text) {
      throw new InvalidSignal(`signal ${num} is already registered for target "${e.target.text}": cannot register it for "${target.text}"`);
    }
    if (!e) this.entries.set(num, { target, raised: 0, delivered: 0, refused: 0, registrants: new Set([slot.current?.pid ?? 0]) });
    else e.registrants.add(slot.current?.pid ?? 0);
    return true;
  }

  /** The same key gets the same number in every process: free numbers from 255 down. */
  allocate(key: string): number {
    const got = this.alloc.get(key);
    if (got !== undefined) return got;
    const used = new Set([...this.entries.keys(), ...this.alloc.values()]);
    for (let n = 255; n >= 0; n--) {
      if (!used.has(n)) {
        this.alloc.set(key, n);
        return n;
      }
    }
    throw new InvalidSignal("no free signal number left (all 256 are registered)");
  }

  /** Raised straight at their target (core/signals/peer.ts): only counted here. */
  countDirect(nums: Uint8Array): void {
    for (const n of nums) {
      const e = this.entries.get(n);
      if (e) { e.raised++; e.delivered++; }
    }
  }

  stats(inFlight: (num: number) => number) {
    return [...this.entries].map(([num, e]) => ({ num, target: e.target.text, handlers: e.registrants.size, raised: e.raised, delivered: e.delivered, refused: e.refused, in_flight: inFlight(num) }));
  }
}
