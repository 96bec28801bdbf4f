// Deno (and Node, which runs the sandbox scripts): read the QuickJS wasm from node_modules on disk. Nothing
// is embedded here: `deno compile` is not available on this machine, and
// Deno rejects `import … with { type: "file" }`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { url } from "../../base/lazy-builtins.ts";

const REL = "../../../node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm";

/** The bytes of the release-sync QuickJS wasm, read from node_modules. */
export function quickjsWasmBytes(): Uint8Array {
  try {
    return readFileSync(url().fileURLToPath(new URL(REL, import.meta.url)));
  } catch (first) {
    // node_modules hoisted somewhere else: ask the resolver.
    try {
      const req = createRequire(import.meta.url);
      const pkg = req.resolve("@jitl/quickjs-wasmfile-release-sync/package.json");
      return readFileSync(pkg.replace(/package\.json$/, "dist/emscripten-module.wasm"));
    } catch {
      throw first;
    }
  }
}
