// The runtime's own background threads that may run at a lower priority than
// the event loop (see core/runtime/background-threads.ts): Bun's JIT and
// allocator threads. Deno's V8 shares its worker threads between the compiler
// and the concurrent GC (the event loop waits for those), so none there.
import { runtimeName } from "./runtime.ts";

/** Thread names (/proc/self/task/TID/comm) to lower; empty when there are none. */
export const backgroundThreadNames: ReadonlySet<string> = runtimeName === "bun"
  ? new Set(["JITWorker", "JSCWarmUp", "mi-scavenger"])
  : new Set();
