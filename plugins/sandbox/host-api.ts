/**
 * What the host process provides to sandboxed code. Every callback is
 * optional; a guest call whose capability is granted but whose callback is
 * missing fails with `Error: the host does not provide <name>`. The sandbox
 * has already checked the capability before a callback is called, so the
 * callbacks need no checks of their own. Values are plain data: strings,
 * numbers, booleans, null, arrays, plain objects and Uint8Array.
 *
 * `source` is who is calling: the plugin name, or `mule <id>` for a light mule.
 */
export interface HostApi {
  /** `log` capability: `log(msg)` (level "info") and `console.*`. Default: one line on stderr. */
  log?(source: string, line: string, level: "debug" | "info" | "warn" | "error"): void;
  /** `signal` capability: `signal(num)`, num an integer 0-255. */
  raiseSignal?(source: string, num: number): void | Promise<void>;
  /** `mule` capability: `mule.send(target, msg)`; target a mule id, a farm name, or undefined (shared queue). */
  muleSend?(source: string, target: number | string | undefined, msg: string | Uint8Array): void | Promise<void>;
  /** `cache` capability: `cache.get(key, opts)`. Return null/undefined when missing. */
  cacheGet?(source: string, key: string, opts?: { cache?: string }): unknown | Promise<unknown>;
  /** `cache` capability: `cache.set(key, value, opts)` (never overwrites), and `cache.update` (opts.update: overwrites). */
  cacheSet?(source: string, key: string, value: unknown, opts?: { expires?: number; cache?: string; update?: boolean }): unknown | Promise<unknown>;
  /** `spool` capability: `spool(name, args)`: enqueue a spooler task; resolve with its id or anything. */
  spool?(source: string, name: string, args: Record<string, unknown>): unknown | Promise<unknown>;
  /** `fetch:HOST` capability: the request, already checked against the granted hosts. Default: globalThis.fetch. */
  fetch?(source: string, url: string, init: RequestInit): Promise<Response>;
  /** `env:NAME` capability: the variable's value. Default: process.env. */
  env?(source: string, name: string): string | undefined;
  /**
   * Something went wrong outside a call the host is waiting for: a light
   * mule's script died (it is restarted), an exception in a promise job.
   */
  onError?(source: string, error: Error): void;
}

/** Resource limits of one plugin or light mule. */
export interface Limits {
  /**
   * Memory in bytes (default 16 MiB). QuickJS's allocator limit, plus a hard
   * cap on the wasm heap: for a plugin its own instance's heap may grow to
   * 16 MiB (the QuickJS module's fixed minimum) + memoryBytes; for light
   * mules, which share one heap, a run of guest code may not grow the shared
   * heap by more than memoryBytes.
   */
  memoryBytes: number;
  /** QuickJS stack in bytes (default 256 KiB). */
  stackBytes: number;
  /**
   * CPU time in ms for one call (default 100): all runs of guest code for one
   * hook call, including its resumptions after awaited host replies. For a
   * light mule, per message: the budget restarts each time the script asks
   * for the next message (and for each onMessage/onSignal call).
   */
  cpuMsPerCall: number;
  /** Wall-clock ms one hook call may take, waiting on host replies included (default 10 000). */
  wallMsPerCall: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  memoryBytes: 16 << 20,
  stackBytes: 256 << 10,
  cpuMsPerCall: 100,
  wallMsPerCall: 10_000,
});
