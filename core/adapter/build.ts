// The bundler behind `build.ts` (the mulefarm executable) and `mulefarm build`
// (a one-file app): Bun's, which is also inside the compiled binary. Deno
// cannot compile executables here: null.
import { runtimeName } from "./runtime.ts";

import type { BundleResult } from "./types.ts";

export type { BundleResult };

/** Bundles (and with `compile`, makes an executable) as Bun.build does; null when this runtime has no bundler. */
export const bundle: ((options: Record<string, unknown>) => Promise<BundleResult>) | null = runtimeName === "bun"
  ? (await import("./bun/build.ts")).bundle
  : null;
