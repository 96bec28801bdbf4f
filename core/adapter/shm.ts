// Mapping a file MAP_SHARED: Bun.mmap under Bun, libc mmap through FFI under
// Deno, nothing under Node (it has no shared memory in core).
import { runtimeName } from "./runtime.ts";

export interface ShmBackend {
  /** Maps `size` bytes of `path` from the page-aligned `offset`, MAP_SHARED. */
  mapFile(path: string, offset: number, size: number): Uint8Array;
  /** Largest single mapping this runtime can wrap in one Uint8Array. */
  MAX_MAPPING_BYTES: number;
}

/** "bun", "deno" or "unsupported": named in errors about mappings. */
export const shmRuntime: "bun" | "deno" | "unsupported" = runtimeName === "node" ? "unsupported" : runtimeName;

// Dynamic imports: Deno never parses the Bun backend and Bun never touches Deno APIs.
export const shmBackend: ShmBackend | null = runtimeName === "bun"
  ? await import("./bun/shm.ts")
  : runtimeName === "deno"
  ? await import("./deno/shm.ts")
  : null;

/**
 * Copy small values out of a mapping into a shared pool instead of a fresh
 * array each: under Deno every `new Uint8Array` costs ~0.5 µs (its typed
 * arrays are never allocated on the V8 heap); Bun allocates small arrays in a
 * few ns.
 */
export const poolSmallCopies: boolean = runtimeName === "deno";
