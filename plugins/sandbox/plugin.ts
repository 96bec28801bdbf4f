/**
 * Sandboxed plugins: one TypeScript/JavaScript module per plugin, run in its
 * own QuickJS wasm instance (own heap, hard-capped) with one runtime and one
 * context, limits per call, and only the capabilities its manifest declares
 * and the operator granted.
 *
 * @example
 * const p = await loadPlugin("plugins/hello.ts", { grants: ["hello:log"], host: { log: (s, l) => console.log(s, l) } });
 * const answer = await p.call("onRequest", { method: "GET", url: "/plugin", headers: {} });
 * p.dispose();
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PluginLimitExceeded, SpecNotFound, UsageError, refused, shown } from "../../core/errors.ts";
import { CAPABILITY_FORMS, CapabilitySet, checkGranted, grantsFor, parseCapability, type Capability } from "./capabilities.ts";
import { loadFailure } from "./guest-error.ts";
import { DEFAULT_LIMITS, type HostApi, type Limits } from "./host-api.ts";
import { HOOKS, type HookName, type Manifest, validateManifest } from "./manifest.ts";
import { newQuickJSInstance, QUICKJS_MIN_HEAP_BYTES, type QuickJSInstance } from "./quickjs.ts";
import { type ModuleInfo, Sandbox } from "./sandbox.ts";
import { ensureTranspiler, transpile } from "./transpile.ts";

export interface PluginOptions {
  /**
   * The operator's grants. Entries are `NAME:CAPABILITY` (only for the plugin
   * whose manifest.name is NAME) or a bare `CAPABILITY` (for this plugin), so
   * the whole `--grant` list can be passed to every plugin.
   */
  grants: readonly string[];
  /** Per-plugin limits; defaults in DEFAULT_LIMITS (16 MiB, 256 KiB, 100 ms CPU, 10 s wall). */
  limits?: Partial<Limits>;
  /** Host callbacks behind the capabilities. */
  host: HostApi;
  /** Directory relative `fs:read:DIR` grants resolve against (default: process.cwd()). */
  grantBase?: string;
}

/** What `onRequest` receives. */
export interface PluginRequest { method: string; url: string; headers: Record<string, string> }
/** What `onRequest` may answer with (undefined: pass the request on to the app). */
export interface PluginResponse { status: number; headers: Record<string, string>; body: string | Uint8Array }

export interface PluginStats {
  name: string;
  calls: number;
  failures: number;
  limitHits: number;
  restarts: number;
  /** Bytes QuickJS reports in use by the plugin's runtime. */
  memoryUsed: number;
  /** Current size of the plugin's wasm heap (grows, never shrinks). */
  heapBytes: number;
}

export interface Plugin {
  /** Absolute path of the plugin's entry file. */
  readonly file: string;
  readonly manifest: Readonly<Manifest>;
  /** The hooks the manifest lists (each is an exported function). */
  readonly hooks: readonly HookName[];
  /** How often the context was re-created after becoming unusable. */
  readonly restarts: number;
  /**
   * Calls a hook. Calls into one plugin run one at a time, in order (a plugin
   * is single-threaded). Rejects with PluginLimitExceeded when the call
   * exceeds a limit (CPU, memory, stack, wall time; `err.limit` is "cpu",
   * "memory", "stack" or "time"), with CapabilityDenied
   * when the plugin used an undeclared capability and did not catch it, with
   * UsageError for a hook the manifest does not list, and otherwise with an
   * Error whose name and message are the plugin's. `onRequest` results are
   * checked and normalised to `undefined | PluginResponse`.
   */
  call(hook: HookName, ...args: unknown[]): Promise<any>;
  stats(): PluginStats;
  /** Frees the plugin; pending calls reject. */
  dispose(): void;
}

function limitsOf(l?: Partial<Limits>): Limits {
  const out = { ...DEFAULT_LIMITS, ...(l ?? {}) };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new UsageError(refused(`plugin limit ${k} must be a positive number`, v));
  }
  return out;
}

/**
 * Loads, evaluates and checks a plugin. Throws SpecNotFound (no such file),
 * UsageError (malformed manifest, syntax error, top-level throw, bad grant),
 * CapabilityDenied (a declared capability not granted) or
 * PluginLimitExceeded (module evaluation exceeded a limit).
 *
 * The module's top level runs before its capabilities are checked, so it
 * runs with none: capabilities work in hooks, not at top level (console.*
 * is silently dropped there).
 */
export async function loadPlugin(file: string, opts: PluginOptions): Promise<Plugin> {
  const abs = resolve(file);
  let source: string;
  try { source = readFileSync(abs, "utf8"); } catch (e) {
    throw new SpecNotFound(`plugin file not found: ${abs} (${(e as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  const limits = limitsOf(opts.limits);
  await ensureTranspiler();
  let js: string;
  try { js = transpile(source, abs); } catch (e) { throw loadFailure(e, `plugin ${abs}`) ?? e; }
  const p = new SandboxedPlugin(abs, js, limits, opts);
  await p.start();
  return p;
}

class SandboxedPlugin implements Plugin {
  manifest!: Manifest;
  hooks: HookName[] = [];
  restarts = 0;
  private sb!: Sandbox;
  private instance!: QuickJSInstance;
  private caps!: Capability[];
  private tail: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private failed: Error | null = null;
  private counters = { calls: 0, failures: 0, limitHits: 0 };

  constructor(readonly file: string, private readonly js: string, private readonly limits: Limits, private readonly opts: PluginOptions) {}

  /** First load: evaluate, validate the manifest, check grants, enable capabilities. */
  async start(): Promise<void> {
    const info = await this.boot(`plugin ${this.file}`);
    try {
      if (!info.hasManifest) throw new UsageError(`plugin ${this.file}: manifest must be an exported object { name, version, capabilities, hooks }: got undefined`);
      const { manifest, capabilities } = validateManifest(info.manifest, this.file, info.functions, dirname(this.file));
      const base = this.opts.grantBase ?? process.cwd();
      const granted = grantsFor(manifest.name, this.opts.grants).map((g) => {
        const c = parseCapability(g, base);
        if (!c) throw new UsageError(`--grant ${manifest.name}:${g}: not a capability (one of ${CAPABILITY_FORMS})`);
        return c;
      });
      checkGranted(manifest.name, capabilities, granted);
      this.manifest = manifest;
      this.hooks = manifest.hooks;
      this.caps = capabilities;
      this.enable();
    } catch (e) {
      this.sb.dispose();
      throw e;
    }
  }

  private enable(): void {
    const name = this.manifest.name;
    this.sb.configure({ label: `plugin "${name}"`, source: name, caps: new CapabilitySet(this.caps), grantHint: `${name}:` });
  }

  /** New instance + sandbox, module evaluated (with no capabilities yet). */
  private async boot(label: string): Promise<ModuleInfo> {
    this.instance = await newQuickJSInstance({ maxHeapBytes: QUICKJS_MIN_HEAP_BYTES + this.limits.memoryBytes });
    this.sb = Sandbox.create({
      label, source: label, file: this.file, rootDir: dirname(this.file),
      caps: new CapabilitySet([]), grantHint: "", host: this.opts.host, limits: this.limits,
      instance: this.instance, ownInstance: true,
    });
    let id = 0;
    try {
      const call = this.sb.loadModule(this.js);
      id = call.id;
      return await this.withWallLimit(call.done, id, "load") as ModuleInfo;
    } catch (e) {
      this.sb.dispose();
      const failure = loadFailure(e, `plugin ${this.file}`);
      if (failure) throw failure;
      if (e instanceof PluginLimitExceeded || (e as Error)?.name === "CapabilityDenied") throw e;
      const err = e as Error;
      throw new UsageError(`plugin ${this.file} failed to load: ${err.name}: ${err.message}`);
    }
  }

  /** After a wasm trap or an exhausted heap: a fresh instance, same manifest required. */
  private async recreate(): Promise<void> {
    this.sb.dispose();
    const info = await this.boot(`plugin "${this.manifest.name}"`);
    const { manifest } = validateManifest(info.manifest, this.file, info.functions, dirname(this.file));
    if (JSON.stringify(manifest) !== JSON.stringify(this.manifest)) {
      this.sb.dispose();
      throw new UsageError(`plugin "${this.manifest.name}": its manifest changed while re-creating its context`);
    }
    this.enable();
    this.restarts++;
  }

  private withWallLimit(done: Promise<unknown>, id: number, what: string): Promise<unknown> {
    const ms = this.limits.wallMsPerCall;
    let t: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, rej) => {
      t = setTimeout(() => {
        const who = this.manifest ? `plugin "${this.manifest.name}"` : `plugin ${this.file}`;
        const err = Object.assign(new PluginLimitExceeded(`${who} ${what} exceeded its time limit of ${ms} ms`), { limit: "time" });
        this.sb.abandon(id, err);
        rej(err);
      }, ms);
    });
    return Promise.race([done, timeout]).finally(() => clearTimeout(t));
  }

  call(hook: HookName, ...args: unknown[]): Promise<any> {
    if (this.disposed) return Promise.reject(new Error(`plugin "${this.manifest.name}" is disposed`));
    if (!this.hooks.includes(hook)) {
      const known = (HOOKS as readonly string[]).includes(hook) ? "" : ` (hooks are ${HOOKS.join(", ")})`;
      return Promise.reject(new UsageError(`plugin "${this.manifest.name}" has no hook ${hook}: its manifest lists ${this.hooks.join(", ") || "none"}${known}`));
    }
    const run = this.tail.then(() => this.run(hook, args));
    this.tail = run.catch(() => {});
    return run;
  }

  private async run(hook: HookName, args: unknown[]): Promise<unknown> {
    if (this.disposed) throw new Error(`plugin "${this.manifest.name}" is disposed`);
    if (this.failed) throw this.failed;
    if (this.sb.broken) await this.recreateOrFail();
    this.counters.calls++;
    const what = `hook ${hook}`;
    try {
      let call: { id: number; done: Promise<unknown> };
      try {
        call = this.sb.invoke(hook, args, what);
      } catch (e) {
        if (!this.sb.broken) throw e; // bad arguments from the host
        await this.recreateOrFail();
        throw new Error(`plugin "${this.manifest.name}" ${what} crashed its sandbox (re-created): ${(e as Error).message}`);
      }
      const v = await this.withWallLimit(call.done, call.id, what);
      return hook === "onRequest" ? this.checkResponse(v) : v;
    } catch (e) {
      this.counters.failures++;
      if (e instanceof PluginLimitExceeded) {
        this.counters.limitHits++;
        // Re-create when the context is unusable, or when what the plugin keeps
        // (module state) is itself over the memory limit: otherwise every later
        // call would fail the same way.
        const keepsTooMuch = (e as { limit?: string }).limit === "memory" && this.sb.memoryUsed() > this.limits.memoryBytes;
        if (keepsTooMuch || !this.sb.healthy()) await this.recreateOrFail();
      }
      throw e;
    }
  }

  private async recreateOrFail(): Promise<void> {
    try {
      await this.recreate();
    } catch (e) {
      this.failed = new Error(`plugin "${this.manifest.name}" cannot be re-created: ${(e as Error).message}`);
      throw this.failed;
    }
  }

  private checkResponse(v: unknown): PluginResponse | undefined {
    if (v === undefined || v === null) return undefined;
    const bad = (why: string) =>
      new TypeError(`plugin "${this.manifest.name}" hook onRequest must return undefined or { status, headers?, body }: ${why}`);
    if (typeof v !== "object" || Array.isArray(v)) throw bad(`got ${shown(v)}`);
    const r = v as Record<string, unknown>;
    if (!Number.isInteger(r.status) || (r.status as number) < 100 || (r.status as number) > 599) throw bad(refused("status must be an integer 100-599", r.status));
    const headers: Record<string, string> = {};
    if (r.headers !== undefined && r.headers !== null) {
      if (typeof r.headers !== "object" || Array.isArray(r.headers)) throw bad("headers must be an object of strings");
      for (const [k, hv] of Object.entries(r.headers as Record<string, unknown>)) {
        if (typeof hv !== "string" && typeof hv !== "number") throw bad(refused(`header ${k} must be a string`, hv));
        headers[k] = String(hv);
      }
    }
    const body = r.body ?? "";
    if (typeof body !== "string" && !(body instanceof Uint8Array)) throw bad("body must be a string or a Uint8Array");
    return { status: r.status as number, headers, body };
  }

  stats(): PluginStats {
    let memoryUsed = 0;
    try { memoryUsed = this.sb.memoryUsed(); } catch { /* broken */ }
    return { name: this.manifest.name, ...this.counters, restarts: this.restarts, memoryUsed, heapBytes: this.instance.memory.buffer.byteLength };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.sb.dispose(new Error(`plugin "${this.manifest.name}" was disposed`));
  }
}
