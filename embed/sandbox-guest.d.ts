// Typings of what code running in mulefarm's QuickJS sandbox (plugins and
// light mules) can use. Copy next to your plugin, or print it with
// embeddedData("sandbox-guest.d.ts"). Everything that reaches outside the
// sandbox needs a capability that the manifest declares and the operator
// grants (--grant NAME:CAPABILITY); without it the call throws
// CapabilityDenied. There is no process, require, Deno, Bun, timers,
// XMLHttpRequest or WebSocket.
export {};

type Message = string | Uint8Array;

interface SandboxResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly url: string;
  readonly headers: { get(name: string): string | null; has(name: string): boolean; forEach(fn: (v: string, k: string) => void): void };
  text(): Promise<string>;
  json(): Promise<any>;
  bytes(): Promise<Uint8Array>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

declare global {
  /** `log` capability. Without it, console.* are silent no-ops. */
  const console: { log(...a: unknown[]): void; info(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void; debug(...a: unknown[]): void };
  /** `log` capability. */
  function log(msg: unknown): void;
  /** `signal` capability: raise a uWSGI-style signal (0-255). */
  function signal(num: number): Promise<void>;
  /** `mule` capability. target: mule id, farm name, or undefined for the shared queue. */
  const mule: { send(target: number | string | undefined, msg: Message): Promise<void> };
  /** `cache` capability. */
  const cache: {
    get(key: string, opts?: { cache?: string }): Promise<any>;
    /** Stores `value` unless `key` holds an unexpired value (uWSGI's cache_set): true if stored. */
    set(key: string, value: unknown, opts?: { expires?: number; cache?: string }): Promise<any>;
    /** Stores `value`, replacing what `key` holds (uWSGI's cache_update). */
    update(key: string, value: unknown, opts?: { expires?: number; cache?: string }): Promise<any>;
  };
  /** `spool` capability: enqueue a spooler task. */
  function spool(name: string, args?: Record<string, unknown>): Promise<any>;
  /** `fetch:HOST` capability: only to granted hosts; redirects are not followed; body read whole (up to the memory limit). */
  function fetch(url: string | { url: string }, init?: { method?: string; headers?: Record<string, string> | [string, string][]; body?: string | Uint8Array | ArrayBuffer }): Promise<SandboxResponse>;
  /** `fs:read:DIR` capability: relative paths resolve against the first granted DIR. */
  const fs: { readFile(path: string): Promise<Uint8Array>; readFile(path: string, encoding: "utf8"): Promise<string> };
  /** `env:NAME` capability. */
  function env(name: string): string | undefined;

  /** Light mules only. */
  const Mule: {
    currentId(): number;
    /** Next message; null after `timeout` seconds. Each message starts a new CPU budget. */
    getMessage(opts?: { timeout?: number }): Promise<Message | null>;
    messages(): AsyncGenerator<Message>;
    /** `mule` capability: to the shared queue. */
    send(msg: Message): Promise<void>;
    onSignal(fn: (num: number) => unknown): void;
  };

  class TextEncoder { encode(s?: string): Uint8Array }
  class TextDecoder { decode(b?: Uint8Array | ArrayBuffer): string }
  class URLSearchParams {
    constructor(init?: string | [string, string][] | Record<string, string>);
    get(k: string): string | null; getAll(k: string): string[]; has(k: string): boolean;
    append(k: string, v: string): void; set(k: string, v: string): void; delete(k: string): void;
    toString(): string;
  }
  /** Parsed by the host; properties are read-only. */
  class URL {
    constructor(url: string, base?: string);
    readonly href: string; readonly origin: string; readonly protocol: string; readonly host: string;
    readonly hostname: string; readonly port: string; readonly pathname: string; readonly search: string;
    readonly hash: string; readonly searchParams: URLSearchParams;
    static canParse(url: string, base?: string): boolean;
  }
}

/** Plugin hooks (export the ones your manifest lists). */
export interface PluginHooks {
  onRequest?(req: { method: string; url: string; headers: Record<string, string> }):
    | undefined | { status: number; headers?: Record<string, string>; body?: string | Uint8Array }
    | Promise<undefined | { status: number; headers?: Record<string, string>; body?: string | Uint8Array }>;
  onLog?(line: string): unknown;
  onSpawn?(info: unknown): unknown;
  onExit?(info: unknown): unknown;
  onSignal?(num: number): unknown;
  onTask?(args: Record<string, unknown>): unknown;
}

/** `export const manifest: Manifest = { … }` */
export interface Manifest {
  name: string;
  version: string;
  /** log, signal, mule, cache, spool, fetch:HOST[:PORT], fs:read:DIR, env:NAME */
  capabilities: string[];
  hooks: ("onRequest" | "onLog" | "onSpawn" | "onExit" | "onSignal" | "onTask")[];
  description?: string;
}
