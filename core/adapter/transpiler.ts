// A TypeScript transpiler built into the runtime, for code that runs in the
// QuickJS sandbox: Bun.Transpiler under Bun (µs per file, nothing to ship);
// null elsewhere (the sandbox then loads esbuild from node_modules).
import { runtimeName } from "./runtime.ts";

import type { NativeTranspiler } from "./types.ts";

export type { NativeTranspiler };

export const nativeTranspiler: NativeTranspiler | null = runtimeName === "bun"
  ? (await import("./bun/transpiler.ts")).bunTranspiler()
  : null;
