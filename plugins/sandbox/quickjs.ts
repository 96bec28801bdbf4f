/**
 * Loads QuickJS (quickjs-emscripten, release-sync variant) from an explicitly
 * provided wasm, so it works from source (Bun, Deno, Node) and inside the
 * `bun build --compile` executable, where the emscripten glue's own
 * `new URL("emscripten-module.wasm", import.meta.url)` lookup fails.
 *
 * - Bun (from source and compiled): `core/adapter/bun/quickjs-wasm.ts` embeds the wasm with
 *   `import … with { type: "file" }`.
 * - Deno / Node: `core/adapter/portable/quickjs-wasm.ts` reads it from node_modules on disk.
 *
 * The wasm is compiled once per process ({@link quickjsWasmModule}); each
 * {@link newQuickJSInstance} instantiates it with its own linear memory,
 * which can be capped: that cap is the only memory limit this QuickJS build
 * enforces for memory grown through `realloc` (array growth, string
 * building), because its own `setMemoryLimit` accounting misses those
 * (it is built without `malloc_usable_size`; measured: a 16 MiB limit let
 * `a.push(new Array(10000))` reach 1 GB).
 *
 * @module
 */
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";
import releaseSync from "@jitl/quickjs-wasmfile-release-sync";
import { quickjsWasmBytes } from "../../core/adapter/quickjs-wasm.ts";
import { runtimeName } from "../../core/adapter/runtime.ts";

const PAGE = 65536;
/** The module declares 256 pages (16 MiB) as its minimum memory. */
export const QUICKJS_MIN_HEAP_BYTES = 256 * PAGE;
/** wasm32 + this build: 2 GiB is the largest heap it can grow to. */
export const QUICKJS_MAX_HEAP_BYTES = 32768 * PAGE;

/** One instantiated QuickJS wasm module: its own linear memory, many runtimes. */
export interface QuickJSInstance {
  readonly module: QuickJSWASMModule;
  /** The instance's linear memory (`buffer.byteLength` = current heap size). */
  readonly memory: WebAssembly.Memory;
  /** Heap ceiling in bytes (the memory's `maximum`). */
  readonly maxHeapBytes: number;
}

/** Which runtime we are on, for reporting (core/adapter/runtime.ts decides). */
export function hostRuntime(): "bun" | "deno" | "node" {
  return runtimeName;
}

let compiled: Promise<WebAssembly.Module> | undefined;

/** The QuickJS wasm bytes, embedded (Bun) or read from node_modules (Deno/Node): core/adapter/quickjs-wasm.ts. */
export { quickjsWasmBytes };

/** Compiles the QuickJS wasm once per process. */
export function quickjsWasmModule(): Promise<WebAssembly.Module> {
  compiled ??= quickjsWasmBytes().then((b) => WebAssembly.compile(b as BufferSource));
  compiled.catch(() => { compiled = undefined; });
  return compiled;
}

/**
 * A fresh QuickJS instance with its own memory. `maxHeapBytes` caps the heap
 * (rounded up to 64 KiB, at least 16 MiB, at most 2 GiB); default 2 GiB.
 */
export async function newQuickJSInstance(opts: { maxHeapBytes?: number } = {}): Promise<QuickJSInstance> {
  const wasmModule = await quickjsWasmModule();
  const want = opts.maxHeapBytes ?? QUICKJS_MAX_HEAP_BYTES;
  const maximum = Math.min(QUICKJS_MAX_HEAP_BYTES / PAGE, Math.max(QUICKJS_MIN_HEAP_BYTES / PAGE, Math.ceil(want / PAGE)));
  const memory = new WebAssembly.Memory({ initial: QUICKJS_MIN_HEAP_BYTES / PAGE, maximum });
  const module = await newQuickJSWASMModuleFromVariant(newVariant(releaseSync, { wasmModule, wasmMemory: memory }));
  return { module, memory, maxHeapBytes: maximum * PAGE };
}

let shared: Promise<QuickJSInstance> | undefined;
let sharedNow: QuickJSInstance | undefined;
const brokenInstances = new WeakSet<QuickJSInstance>();

/**
 * Records that an instance trapped (emscripten abort, wasm RuntimeError):
 * nothing more can run in it. The shared instance is then replaced for
 * whoever asks next.
 */
export function markInstanceBroken(instance: QuickJSInstance): void {
  brokenInstances.add(instance);
  if (instance === sharedNow) { shared = undefined; sharedNow = undefined; }
}

export function isInstanceBroken(instance: QuickJSInstance): boolean {
  return brokenInstances.has(instance);
}

/** One instance shared by everything that asks (light mules); created on first use, replaced if it traps. */
export function sharedQuickJSInstance(): Promise<QuickJSInstance> {
  if (!shared) {
    const p = newQuickJSInstance();
    shared = p;
    p.then((i) => { if (shared === p) sharedNow = i; }, () => { if (shared === p) shared = undefined; });
  }
  return shared;
}
