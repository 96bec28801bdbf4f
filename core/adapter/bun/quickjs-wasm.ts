// Bun only (also inside `bun build --compile`): the QuickJS wasm is embedded
// into the executable by this `type: "file"` import; in the compiled binary
// the path is `/$bunfs/root/emscripten-module-<hash>.wasm`. Deno rejects
// `type: "file"`, so ../quickjs-wasm.ts imports this module under Bun only.
import { readFileSync } from "node:fs";
// @ts-ignore: Bun file import (no type declarations for .wasm)
import wasmPath from "../../../node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm" with { type: "file" };

/** The bytes of the release-sync QuickJS wasm, read from the embedded file. */
export function quickjsWasmBytes(): Uint8Array {
  return readFileSync(wasmPath as unknown as string);
}
