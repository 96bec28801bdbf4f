// The sandbox's QuickJS wasm bytes: embedded in the executable under Bun,
// read from node_modules under Deno and Node.
import { runtimeName } from "./runtime.ts";

/** The bytes of the release-sync QuickJS wasm. */
export async function quickjsWasmBytes(): Promise<Uint8Array> {
  // Dynamic imports with literal specifiers: Bun's bundler follows both into
  // the compiled binary; only the one for this runtime is evaluated.
  if (runtimeName === "bun") return (await import("./bun/quickjs-wasm.ts")).quickjsWasmBytes();
  return (await import("./portable/quickjs-wasm.ts")).quickjsWasmBytes();
}
