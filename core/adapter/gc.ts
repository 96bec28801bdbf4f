// A forced full collection, for measurements (the sandbox footprint script):
// Bun.gc(true) under Bun, globalThis.gc where V8 exposes it (--expose-gc).
export function forceGc(): void {
  (globalThis as any).Bun?.gc?.(true);
  (globalThis as any).gc?.();
}
