/**
 * The CPU and shared-heap limits as the runtime's interrupt handler enforces
 * them. Guest code runs in slices (see sandbox.ts); each slice is charged to
 * the active call's CPU budget, with host time inside it left out, and on a
 * shared heap (light mules) the heap's growth during the slice is watched.
 * Memory and stack limits QuickJS enforces itself (guest-error.ts tells them
 * apart).
 *
 * @module
 */
import type { Limits } from "./host-api.ts";
import type { QuickJSInstance } from "./quickjs.ts";

export type LimitKind = "cpu" | "memory" | "stack";

export class LimitMeter {
  /** A slice is running: guest code may be on the stack. */
  inSlice = false;
  /** The limit the interrupt handler stopped the running slice for. */
  limitHit: LimitKind | null = null;
  private sliceStart = 0;
  private budgetUsed = 0;
  private budgetMs = 0;
  private heap0 = 0;

  /** `ownInstance`: the instance's heap is this sandbox's alone (its maximum is the hard memory cap). */
  constructor(private readonly limits: Limits, private readonly instance: QuickJSInstance, private readonly ownInstance: boolean) {}

  /** The interrupt handler: true stops the guest (and records why in `limitHit`). */
  shouldInterrupt(): boolean {
    if (this.limitHit) return true;
    if (this.budgetUsed + (performance.now() - this.sliceStart) > this.budgetMs) {
      this.limitHit = "cpu";
      return true;
    }
    // Shared heap (light mules): a run of guest code may grow it by memoryBytes plus one
    // emscripten growth step (20% of the heap, at most 96 MiB), which is what the
    // allocator limit misses (realloc growth); see quickjs.ts.
    if (!this.ownInstance && this.instance.memory.buffer.byteLength - this.heap0 > this.limits.memoryBytes + Math.min(this.heap0 / 4, 100 << 20)) {
      this.limitHit = "memory";
      return true;
    }
    return false;
  }

  /** Starts a new CPU budget of `budgetMs`. */
  reset(budgetMs: number): void {
    this.budgetUsed = 0;
    this.budgetMs = budgetMs;
    if (this.inSlice) this.sliceStart = performance.now();
  }

  /** A slice starts: its time and the heap's growth count from now. */
  begin(): void {
    this.inSlice = true;
    this.limitHit = null;
    this.sliceStart = performance.now();
    this.heap0 = this.instance.memory.buffer.byteLength;
  }

  /** The slice ended: charges its time; returns the limit it was stopped for, if any. */
  end(): LimitKind | null {
    this.budgetUsed += performance.now() - this.sliceStart;
    const hit = this.limitHit;
    this.inSlice = false;
    this.limitHit = null;
    return hit;
  }

  /** Runs host code called from inside a slice without charging its time to the guest. */
  excluding<T>(fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      this.sliceStart += performance.now() - t0;
    }
  }
}
