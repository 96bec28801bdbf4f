// A test hook for the hand-off of direct signals. When a direct target dies
// with signals unfinished, the master hears of it twice, in either order: the
// raiser's SignalReraise, and its own view of the death (the exit: the slot
// moves on, then the router ends the process's record). With
// MULEFARM_TEST_SIGNAL_HANDOFF set, the master holds events back so that the
// router sees them in the order named, on every run instead of by luck:
//   reraise-first - the re-raise is routed after the exit but while the router
//                   still holds the dead process's record (the state a
//                   re-raise meets when it arrives before the death is
//                   handled, or during a reload);
//   death-first   - the re-raise is routed after the record ended.
// A held event runs anyway after HOLD_MS (a death without a direct raiser has
// no re-raise). Unset (always, outside tests), every event runs at once.
import { unrefTimer } from "../base/timers.ts";

const HOLD_MS = 1500;

type Mode = "reraise-first" | "death-first" | undefined;

export class HandoffOrder {
  private readonly mode: Mode;
  private exited = new Set<number>(); // pids whose exit the master saw
  private reraised = new Set<number>(); // pids whose re-raise was routed
  private heldReraise = new Map<number, Array<() => void>>();
  private heldDeath = new Map<number, () => void>();

  constructor(env = process.env.MULEFARM_TEST_SIGNAL_HANDOFF) {
    this.mode = env === "reraise-first" || env === "death-first" ? env : undefined;
  }

  /** The master saw `pid` exit: `end` ends its routing record. */
  death(pid: number, end: () => void): void {
    if (!this.mode) return end();
    this.exited.add(pid);
    if (this.mode === "death-first") {
      end();
      this.release(pid);
      return;
    }
    // reraise-first: route the re-raise (held, or still to come) before ending the record.
    this.release(pid);
    if (this.reraised.has(pid)) return end();
    const once = this.once(end);
    this.heldDeath.set(pid, once);
    unrefTimer(setTimeout(once, HOLD_MS));
  }

  /** A raiser re-raised what `pid` left: `route` routes it. */
  reraise(pid: number, route: () => void): void {
    if (!this.mode || !pid) return route();
    const run = () => {
      route();
      this.reraised.add(pid);
      const d = this.heldDeath.get(pid);
      this.heldDeath.delete(pid);
      d?.();
    };
    if (this.exited.has(pid)) return run();
    const q = this.heldReraise.get(pid) ?? [];
    this.heldReraise.set(pid, q);
    const once = this.once(run);
    q.push(once);
    unrefTimer(setTimeout(once, HOLD_MS));
  }

  private release(pid: number): void {
    const q = this.heldReraise.get(pid);
    this.heldReraise.delete(pid);
    for (const f of q ?? []) f();
  }

  private once(fn: () => void): () => void {
    let ran = false;
    return () => { if (!ran) { ran = true; fn(); } };
  }
}
