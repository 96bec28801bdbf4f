// Bun: Bun.build.
import type { BundleResult } from "../types.ts";

export const bundle = (options: Record<string, unknown>): Promise<BundleResult> => (globalThis as any).Bun.build(options);
