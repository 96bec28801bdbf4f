/**
 * One QuickJS runtime + context running one script (a plugin or a light
 * mule), with limits, the host-function bridge and the module loader. Used
 * by plugin.ts and light-mule.ts; not part of the public interface.
 *
 * Execution model: guest code only runs inside a *slice*: a synchronous run
 * started by the host (evaluate the module, call a hook, resolve a host
 * promise, deliver a message) followed by draining QuickJS's job queue. The
 * interrupt handler charges each slice to the active call's CPU budget.
 * Guest→host calls go through one host function; async host results come
 * back as QuickJS promises resolved in a later slice. Results of host→guest
 * calls come back through the guest calling the host's `settle` operation,
 * so the host never holds a handle to a pending guest promise (which would
 * make runtime disposal abort the wasm instance).
 *
 * @module
 */
import { readFileSync, realpathSync, statSync } from "node:fs";
import { fsp } from "../../core/runtime/lazy-builtins.ts";
import { dirname, extname, isAbsolute, join, resolve } from "node:path";
import type { QuickJSContext, QuickJSDeferredPromise, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten-core";
import { CapabilityDenied, PluginLimitExceeded, UsageError } from "../../core/errors.ts";
import { writeErr } from "../../core/log.ts";
import { type CapabilitySet, isInside } from "./capabilities.ts";
import type { HostApi, Limits } from "./host-api.ts";
import { PRELUDE, VIRTUAL_MODULE } from "./prelude.ts";
import { markInstanceBroken, type QuickJSInstance } from "./quickjs.ts";
import { transpile } from "./transpile.ts";

export type LimitKind = "cpu" | "memory" | "stack";
export interface GuestErrorInfo { name: string; message: string; stack: string }
export interface ModuleInfo { functions: string[]; manifest: unknown; hasManifest: boolean }
type Op = (args: unknown[]) => unknown;

const BIN = "\u0000b";
/** CPU budget of the prelude (host code; a cold wasm JIT on a busy machine can take 100+ ms). */
const PRELUDE_BUDGET_MS = 5000;
/** Module evaluation gets at least this much CPU (cold wasm JIT, module-level setup). */
export const LOAD_MIN_BUDGET_MS = 1000;
const VIRTUAL = "mulefarm:sandbox";
const IMPORT_EXTS = [".ts", ".js", ".mts", ".mjs", ".tsx"];
const LEVELS = new Set(["debug", "info", "warn", "error"]);
const enc8 = new TextEncoder();
const dec8 = new TextDecoder();

export interface SandboxOptions {
  /** Prefix of limit messages: `plugin "hello"` or `mule 3`. */
  label: string;
  /** Name given to host callbacks as `source`. */
  source: string;
  /** Absolute path of the entry script. */
  file: string;
  /** Relative imports must resolve inside this (real) directory. */
  rootDir: string;
  caps: CapabilitySet;
  /** How a denied capability should be granted, for error messages: `--grant hello:` */
  grantHint: string;
  host: HostApi;
  limits: Limits;
  instance: QuickJSInstance;
  /** The instance's heap belongs to this sandbox alone (its maximum is the hard memory cap). */
  ownInstance: boolean;
  /** Light mule: its id and extra host operations (getMessage …). */
  mule?: { id: number; ops: Record<string, Op> };
}

interface Pending { resolve(v: unknown): void; reject(e: Error): void; what: string }

/** A guest Error surfaced on the host: name and message are the guest's. */
export class GuestError extends Error {
  constructor(info: GuestErrorInfo, readonly source: string, readonly what: string) {
    super(info.message);
    this.name = info.name || "Error";
    this.stack = `${this.name}: ${info.message}\n${truncateStack(info.stack)}    at ${what} (${source}, sandbox)`;
  }
}

function truncateStack(s: string): string {
  const lines = s.split("\n").filter(Boolean);
  const keep = lines.length > 12 ? [...lines.slice(0, 10), `    ... ${lines.length - 10} more frames`] : lines;
  return keep.length ? keep.join("\n") + "\n" : "";
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as { then?: unknown }).then === "function";
}

export class Sandbox {
  readonly rt: QuickJSRuntime;
  readonly ctx: QuickJSContext;
  /** Set when the sandbox can no longer be used (wasm trap, host-side QuickJS failure). */
  broken: Error | null = null;
  disposed = false;

  private readonly o: SandboxOptions;
  private readonly ops: Record<string, Op>;
  private internals: { dispatch: QuickJSHandle; watch: QuickJSHandle; deliver: QuickJSHandle; signal: QuickJSHandle } | null = null;
  private readonly deferreds = new Set<QuickJSDeferredPromise>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private active: number | null = null;
  // CPU accounting
  private inSlice = false;
  private sliceStart = 0;
  private budgetUsed = 0;
  private budgetMs = 0;
  private heap0 = 0;
  private limitHit: LimitKind | null = null;
  private realRoot: string;
  private disposeAfterSlice: Error | null = null;

  private constructor(o: SandboxOptions, rt: QuickJSRuntime, ctx: QuickJSContext) {
    this.o = { ...o };
    this.rt = rt;
    this.ctx = ctx;
    this.ops = { ...this.baseOps(), ...(o.mule?.ops ?? {}) };
    try { this.realRoot = realpathSync(o.rootDir); } catch { this.realRoot = o.rootDir; }
  }

  /** A new runtime + context in `o.instance`, with limits, loader and the guest API installed. */
  static create(o: SandboxOptions): Sandbox {
    const rt = o.instance.module.newRuntime();
    let ctx: QuickJSContext | undefined;
    try {
      rt.setMemoryLimit(o.limits.memoryBytes);
      rt.setMaxStackSize(o.limits.stackBytes);
      ctx = rt.newContext();
      const sb = new Sandbox(o, rt, ctx);
      rt.setInterruptHandler(() => sb.shouldInterrupt());
      rt.setModuleLoader((name) => sb.loadSource(name), (base, req) => sb.normalize(base, req));
      sb.installPrelude();
      return sb;
    } catch (e) {
      try { ctx?.dispose(); rt.dispose(); } catch { /* instance is dropped */ }
      throw e;
    }
  }

  /** Changes who the sandbox is and what it may do (a plugin gets its capabilities once its manifest is checked). */
  configure(c: { label?: string; source?: string; caps?: CapabilitySet; grantHint?: string }): void {
    if (c.label !== undefined) this.o.label = c.label;
    if (c.source !== undefined) this.o.source = c.source;
    if (c.caps !== undefined) this.o.caps = c.caps;
    if (c.grantHint !== undefined) this.o.grantHint = c.grantHint;
  }

  // ------------------------------------------------------------ limits

  private shouldInterrupt(): boolean {
    if (this.limitHit) return true;
    if (this.budgetUsed + (performance.now() - this.sliceStart) > this.budgetMs) {
      this.limitHit = "cpu";
      return true;
    }
    // Shared heap (light mules): a run of guest code may grow it by memoryBytes plus one
    // emscripten growth step (20% of the heap, at most 96 MiB), which is what the
    // allocator limit misses (realloc growth); see quickjs.ts.
    if (!this.o.ownInstance && this.o.instance.memory.buffer.byteLength - this.heap0 > this.o.limits.memoryBytes + Math.min(this.heap0 / 4, 100 << 20)) {
      this.limitHit = "memory";
      return true;
    }
    return false;
  }

  /** Starts a new CPU budget (a new call, or a light mule taking its next message). */
  resetBudget(budgetMs = this.o.limits.cpuMsPerCall): void {
    this.budgetUsed = 0;
    this.budgetMs = budgetMs;
    if (this.inSlice) this.sliceStart = performance.now();
  }

  /** Makes `id` the call that slices are charged to and that a limit hit rejects. */
  setActive(id: number | null, budgetMs?: number): void {
    this.active = id;
    this.resetBudget(budgetMs);
  }

  limitMessage(kind: LimitKind, what: string): string {
    const l = this.o.limits;
    const lim = kind === "cpu" ? `CPU limit of ${l.cpuMsPerCall} ms` : kind === "memory" ? `memory limit of ${l.memoryBytes} bytes` : `stack limit of ${l.stackBytes} bytes`;
    return `${this.o.label} ${what} exceeded its ${lim}`;
  }

  /** Which limit a guest error means, if any (the interrupt flag wins). */
  private classify(info: GuestErrorInfo | null, hit: LimitKind | null): LimitKind | null {
    if (hit) return hit;
    if (!info) return "memory"; // an exception QuickJS could not even allocate
    if (info.name !== "InternalError" && info.name !== "RangeError") return null;
    if (info.message === "interrupted") return "cpu";
    if (info.message === "out of memory") return "memory";
    if (info.message === "stack overflow" || /call stack size/i.test(info.message)) return "stack";
    return null;
  }

  /** Host-side error for a failed call: PluginLimitExceeded for limits, else the guest's error. */
  toHostError(info: GuestErrorInfo | null, what: string, hit: LimitKind | null = this.limitHit): Error {
    const kind = this.classify(info, hit);
    if (kind) return Object.assign(new PluginLimitExceeded(this.limitMessage(kind, what)), { limit: kind });
    if (info && (info.name === "CapabilityDenied" || info.name === "UsageError")) {
      return info.name === "CapabilityDenied" ? new CapabilityDenied(info.message) : new UsageError(info.message);
    }
    return new GuestError(info ?? { name: "Error", message: "unknown error", stack: "" }, this.o.source, what);
  }

  // ------------------------------------------------------------ slices

  /**
   * Runs `fn` (which enters the VM) and then the job queue, as one slice.
   * Nested calls just run `fn`. Host-side QuickJS failures mark the sandbox
   * broken and are rethrown.
   */
  slice<T>(fn: () => T): T {
    if (this.inSlice) return fn();
    if (this.disposed) throw new Error(`${this.o.label} is disposed`);
    if (this.broken) throw this.broken;
    this.inSlice = true;
    this.limitHit = null;
    this.sliceStart = performance.now();
    this.heap0 = this.o.instance.memory.buffer.byteLength;
    let hit: LimitKind | null = null;
    try {
      const out = fn();
      this.pump();
      return out;
    } catch (e) {
      this.broken = e instanceof Error ? e : new Error(String(e));
      if (e instanceof WebAssembly.RuntimeError || /Aborted\(/.test(this.broken.message)) markInstanceBroken(this.o.instance);
      throw this.broken;
    } finally {
      this.budgetUsed += performance.now() - this.sliceStart;
      hit = this.limitHit;
      this.inSlice = false;
      this.limitHit = null;
      if (hit && this.active !== null) this.fail(this.active, null, hit);
      if (this.disposeAfterSlice) this.dispose(this.disposeAfterSlice);
    }
  }

  private pump(): void {
    for (let i = 0; this.rt.hasPendingJob(); i++) {
      const r = this.rt.executePendingJobs();
      if (r.error) {
        const info = this.errorInfo(r.error);
        r.error.dispose();
        if (!this.limitHit && !this.classify(info, null)) {
          this.o.host.onError?.(this.o.source, new GuestError(info ?? { name: "Error", message: "unknown", stack: "" }, this.o.source, "a promise job"));
        }
      }
      if (i > 1_000_000) throw new Error(`${this.o.label}: job queue does not drain`);
    }
  }

  // ------------------------------------------------------------ calls

  private expect(what: string): { id: number; done: Promise<unknown> } {
    const id = this.nextId++;
    const done = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject, what }));
    return { id, done };
  }

  private fail(id: number, info: GuestErrorInfo | null, hit: LimitKind | null): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.reject(this.toHostError(info, p.what, hit));
  }

  /** Abandons a call (wall-clock timeout): its late result is ignored. */
  abandon(id: number, err: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.reject(err);
  }

  /**
   * Evaluates the entry module. `done` resolves with the module's exports
   * info when evaluation (top-level await included) completes.
   */
  loadModule(js: string): { id: number; done: Promise<ModuleInfo> } {
    const call = this.expect("load");
    this.setActive(call.id, Math.max(this.o.limits.cpuMsPerCall, LOAD_MIN_BUDGET_MS));
    this.slice(() => {
      const r = this.ctx.evalCode(js, this.o.file, { type: "module" });
      if (r.error) {
        const info = this.errorInfo(r.error);
        r.error.dispose();
        this.fail(call.id, info, this.limitHit);
        return;
      }
      const idH = this.ctx.newNumber(call.id);
      const res = this.ctx.callFunction(this.internals!.watch, this.ctx.undefined, idH, r.value);
      idH.dispose();
      r.value.dispose();
      this.consume(res, call.id);
    });
    return call as { id: number; done: Promise<ModuleInfo> };
  }

  /** Calls the exported function `name` with `args`; resolves/rejects with its (awaited) result. */
  invoke(name: string, args: unknown[], what: string): { id: number; done: Promise<unknown> } {
    const argH = this.encode(args); // throws on host values that are not plain data
    const call = this.expect(what);
    this.setActive(call.id);
    this.slice(() => {
      const idH = this.ctx.newNumber(call.id);
      const nameH = this.ctx.newString(name);
      const res = this.ctx.callFunction(this.internals!.dispatch, this.ctx.undefined, idH, nameH, argH);
      idH.dispose(); nameH.dispose(); argH.dispose();
      this.consume(res, call.id);
    });
    return call;
  }

  /** Light mules: runs the Mule.onSignal handlers (and an exported onSignal). Resolves true if any ran. */
  signal(num: number, what: string): { id: number; done: Promise<unknown> } {
    const call = this.expect(what);
    this.setActive(call.id);
    this.slice(() => {
      const idH = this.ctx.newNumber(call.id);
      const numH = this.ctx.newNumber(num);
      const res = this.ctx.callFunction(this.internals!.signal, this.ctx.undefined, idH, numH);
      idH.dispose(); numH.dispose();
      this.consume(res, call.id);
    });
    return call;
  }

  /** Light mules: resolves the guest's pending getMessage number `waiter` with `value`. */
  deliver(waiter: number, value: unknown): void {
    const vH = this.encode(value);
    this.slice(() => {
      const wH = this.ctx.newNumber(waiter);
      const res = this.ctx.callFunction(this.internals!.deliver, this.ctx.undefined, wH, vH);
      wH.dispose(); vH.dispose();
      this.consume(res, this.active);
    });
  }

  private consume(res: ReturnType<QuickJSContext["callFunction"]>, id: number | null): void {
    if (res.error) {
      const info = this.errorInfo(res.error);
      res.error.dispose();
      if (id !== null) this.fail(id, info, this.limitHit);
    } else {
      res.value.dispose();
    }
  }

  /** True if the context still runs code and can allocate a little. */
  healthy(): boolean {
    if (this.broken || this.disposed) return false;
    this.setActive(null);
    try {
      return this.slice(() => {
        const r = this.ctx.evalCode("[new Array(256).fill(0)].length + 1");
        const ok = !r.error && this.ctx.getNumber(r.value) === 2;
        (r.error ?? r.value).dispose();
        return ok;
      });
    } catch {
      return false;
    }
  }

  /** Bytes QuickJS reports in use by this runtime. */
  memoryUsed(): number {
    if (this.disposed || this.broken) return 0;
    const h = this.rt.computeMemoryUsage();
    try { return Number(this.ctx.dump(h)?.memory_used_size ?? 0); } finally { h.dispose(); }
  }

  /** Frees the runtime. Pending calls reject with `reason`. Never throws. */
  dispose(reason: Error = new Error(`${this.o.label} was disposed`)): void {
    if (this.disposed) return;
    if (this.inSlice) {
      // Called from a host callback while guest code is on the stack: free it when the slice ends.
      this.disposeAfterSlice = reason;
      return;
    }
    this.disposed = true;
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
    try {
      for (const d of this.deferreds) d.dispose();
      this.deferreds.clear();
      if (this.internals) for (const h of Object.values(this.internals)) h.alive && h.dispose();
      this.internals = null;
      this.ctx.dispose();
      this.rt.dispose();
    } catch (e) {
      // A wasm abort here (e.g. a leaked handle) means the instance is unusable.
      this.broken = e instanceof Error ? e : new Error(String(e));
      markInstanceBroken(this.o.instance);
    }
  }

  // ------------------------------------------------------------ marshalling

  /** Host value → guest handle (JSON string, or [json, [ArrayBuffer…]]). Caller disposes. */
  encode(v: unknown): QuickJSHandle {
    const ctx = this.ctx;
    if (v === undefined) return ctx.undefined;
    const bufs: ArrayBuffer[] = [];
    const json = JSON.stringify(v, function (this: Record<string, unknown>, k: string, x: unknown) {
      const raw = this[k];
      if (raw instanceof Uint8Array || raw instanceof ArrayBuffer || ArrayBuffer.isView(raw)) {
        const u = raw instanceof ArrayBuffer ? new Uint8Array(raw) : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
        bufs.push(u.slice().buffer);
        return { [BIN]: bufs.length - 1 };
      }
      if (typeof x === "bigint") return x.toString();
      return x;
    });
    if (json === undefined) return ctx.undefined;
    if (!bufs.length) return ctx.newString(json);
    const arr = ctx.newArray();
    ctx.newString(json).consume((h) => ctx.setProp(arr, 0, h));
    const list = ctx.newArray();
    bufs.forEach((b, i) => ctx.newArrayBuffer(b).consume((h) => ctx.setProp(list, i, h)));
    ctx.setProp(arr, 1, list);
    list.dispose();
    return arr;
  }

  /** Guest encoded value → host value. Does not dispose `h`. */
  decode(h: QuickJSHandle): unknown {
    const ctx = this.ctx;
    const t = ctx.typeof(h);
    if (t === "undefined") return undefined;
    if (t === "string") return JSON.parse(ctx.getString(h));
    if (t !== "object") throw new TypeError("sandbox: malformed value from guest");
    const jsonH = ctx.getProp(h, 0);
    const listH = ctx.getProp(h, 1);
    try {
      if (ctx.typeof(jsonH) !== "string") throw new TypeError("sandbox: malformed value from guest");
      const n = ctx.getLength(listH) ?? 0;
      const bufs: Uint8Array[] = [];
      for (let i = 0; i < n; i++) {
        const bH = ctx.getProp(listH, i);
        try {
          const lt = ctx.getArrayBuffer(bH);
          bufs.push(lt.value.slice());
          lt.dispose();
        } finally { bH.dispose(); }
      }
      return JSON.parse(ctx.getString(jsonH), (_k, v) => {
        if (v !== null && typeof v === "object" && typeof v[BIN] === "number" && Object.keys(v).length === 1) {
          const b = bufs[v[BIN]];
          if (!b) throw new TypeError("sandbox: malformed binary reference from guest");
          return b;
        }
        return v;
      });
    } finally { jsonH.dispose(); listH.dispose(); }
  }

  /** A thrown guest value as {name, message, stack}; null if it is not even a value. */
  private errorInfo(h: QuickJSHandle): GuestErrorInfo | null {
    let d: unknown;
    try { d = this.ctx.dump(h); } catch { return null; }
    if (d === null || d === undefined) return null;
    if (typeof d === "object") {
      const o = d as Record<string, unknown>;
      return { name: String(o.name ?? "Error"), message: String(o.message ?? JSON.stringify(o)), stack: String(o.stack ?? "") };
    }
    return { name: "Error", message: String(d), stack: "" };
  }

  // ------------------------------------------------------------ prelude and host bridge

  private installPrelude(): void {
    const ctx = this.ctx;
    const fn = ctx.newFunction("__mf_call", (opH, xH) => this.hostCall(opH, xH));
    ctx.setProp(ctx.global, "__mf_call", fn);
    fn.dispose();
    const cfg = JSON.stringify({ mule: !!this.o.mule, id: this.o.mule?.id ?? 0 });
    ctx.newString(cfg).consume((h) => ctx.setProp(ctx.global, "__mf_cfg", h));
    this.setActive(null, PRELUDE_BUDGET_MS); // our code, not the guest's: only a safety net
    const obj = this.slice(() => {
      const r = ctx.evalCode(PRELUDE, "mulefarm-prelude.js");
      if (r.error) {
        const info = this.errorInfo(r.error);
        r.error.dispose();
        throw new Error(`sandbox prelude failed: ${info?.name}: ${info?.message}`);
      }
      return r.value;
    });
    this.internals = {
      dispatch: ctx.getProp(obj, "dispatch"),
      watch: ctx.getProp(obj, "watch"),
      deliver: ctx.getProp(obj, "deliver"),
      signal: ctx.getProp(obj, "signal"),
    };
    obj.dispose();
  }

  /** The one host function the guest sees. Returns a handle (disposed by quickjs-emscripten after use). */
  private hostCall(opH: QuickJSHandle, xH: QuickJSHandle): QuickJSHandle {
    const t0 = performance.now();
    try {
      return this.hostCallInner(opH, xH);
    } finally {
      this.sliceStart += performance.now() - t0; // host time is not the guest's CPU time
    }
  }

  private hostCallInner(opH: QuickJSHandle, xH: QuickJSHandle): QuickJSHandle {
    const ctx = this.ctx;
    if (ctx.typeof(opH) !== "string") throw new TypeError("host call: bad operation");
    const op = ctx.getString(opH);
    const impl = Object.prototype.hasOwnProperty.call(this.ops, op) ? this.ops[op] : undefined;
    if (!impl) throw new TypeError(`host call: unknown operation ${op}`);
    const args = this.decode(xH);
    const out = impl(Array.isArray(args) ? args : []);
    if (!isThenable(out)) return this.encode(out);
    const d = ctx.newPromise();
    this.deferreds.add(d);
    Promise.resolve(out).then(
      (v) => this.settleDeferred(d, true, v),
      (e) => this.settleDeferred(d, false, e),
    );
    return d.handle;
  }

  private settleDeferred(d: QuickJSDeferredPromise, ok: boolean, v: unknown): void {
    if (this.disposed || this.broken || !this.deferreds.has(d)) return;
    this.deferreds.delete(d);
    try {
      this.slice(() => {
        if (ok) {
          let h: QuickJSHandle;
          try { h = this.encode(v); } catch (e) { h = this.ctx.newError({ name: "TypeError", message: `host value cannot be passed to the sandbox: ${(e as Error).message}` }); ok = false; }
          ok ? d.resolve(h) : d.reject(h);
          h.dispose();
        } else {
          const e = v instanceof Error ? v : new Error(String(v));
          const h = this.ctx.newError({ name: e.name, message: e.message });
          d.reject(h);
          h.dispose();
        }
      });
    } catch (e) {
      this.o.host.onError?.(this.o.source, e as Error);
    }
  }

  private need(kind: Parameters<CapabilitySet["has"]>[0], label: string): void {
    if (!this.o.caps.has(kind)) throw this.denied(label);
  }

  private denied(cap: string): CapabilityDenied {
    return new CapabilityDenied(`${this.o.label} has no "${cap}" capability (it must be declared and granted: --grant ${this.o.grantHint}${cap})`);
  }

  private hostFn<K extends keyof HostApi>(name: K): NonNullable<HostApi[K]> {
    const f = this.o.host[name];
    if (typeof f !== "function") throw new Error(`the host does not provide ${name}`);
    return (f as (...a: unknown[]) => unknown).bind(this.o.host) as NonNullable<HostApi[K]>;
  }

  private baseOps(): Record<string, Op> {
    const o = this.o;
    return {
      settle: ([id, ok, v]) => {
        const p = this.pending.get(Number(id));
        if (!p) return;
        this.pending.delete(Number(id));
        if (ok === true) p.resolve(v);
        else p.reject(this.toHostError(v && typeof v === "object" ? (v as GuestErrorInfo) : null, p.what, this.limitHit));
      },
      utf8encode: ([s]) => enc8.encode(String(s)),
      urlparse: ([url, base]) => {
        let u: URL;
        // undefined crosses the boundary as null (JSON): both mean "no base".
        const noBase = base === undefined || base === null;
        try { u = noBase ? new URL(String(url)) : new URL(String(url), String(base)); } catch {
          throw new TypeError(`Invalid URL: ${JSON.stringify(url)}${noBase ? "" : ` (base ${JSON.stringify(base)})`}`);
        }
        const { href, origin, protocol, username, password, host, hostname, port, pathname, search, hash } = u;
        return { href, origin, protocol, username, password, host, hostname, port, pathname, search, hash };
      },
      utf8decode: ([b]) => {
        if (!(b instanceof Uint8Array)) throw new TypeError("TextDecoder.decode needs a Uint8Array or ArrayBuffer");
        return dec8.decode(b);
      },
      log: ([level, line, fromConsole]) => {
        if (!this.o.caps.has("log")) {
          if (fromConsole === true) return; // console.* without the log capability: a silent no-op
          throw this.denied("log");
        }
        const lv = LEVELS.has(String(level)) ? (String(level) as "info") : "info";
        if (this.o.host.log) this.o.host.log(o.source, String(line), lv);
        else writeErr(`[${o.source}] ${String(line)}\n`);
      },
      signal: ([num]) => {
        this.need("signal", "signal");
        if (!Number.isInteger(num) || (num as number) < 0 || (num as number) > 255) throw new RangeError(`signal number must be an integer 0-255: got ${JSON.stringify(num)}`);
        return this.hostFn("raiseSignal")(o.source, num as number);
      },
      muleSend: ([target, msg]) => {
        this.need("mule", "mule");
        if (typeof msg !== "string" && !(msg instanceof Uint8Array)) throw new TypeError("a mule message must be a string or a Uint8Array");
        if (target !== undefined && target !== null && typeof target !== "number" && typeof target !== "string") throw new TypeError("a mule target must be a mule id, a farm name or undefined");
        return this.hostFn("muleSend")(o.source, (target ?? undefined) as number | string | undefined, msg);
      },
      cacheGet: ([key, opts]) => {
        this.need("cache", "cache");
        return this.hostFn("cacheGet")(o.source, String(key), (opts ?? undefined) as { cache?: string });
      },
      cacheSet: ([key, value, opts]) => {
        this.need("cache", "cache");
        return this.hostFn("cacheSet")(o.source, String(key), value, (opts ?? undefined) as { expires?: number; update?: boolean });
      },
      spool: ([name, args]) => {
        this.need("spool", "spool");
        if (args === null || typeof args !== "object" || Array.isArray(args)) throw new TypeError("spool(name, args): args must be an object");
        return this.hostFn("spool")(o.source, String(name), args as Record<string, unknown>);
      },
      env: ([name]) => {
        const n = String(name);
        if (!this.o.caps.envAllows(n)) throw this.denied(`env:${n}`);
        const v = this.o.host.env ? this.o.host.env(o.source, n) : process.env[n];
        return v ?? undefined;
      },
      fetch: ([url, init]) => this.doFetch(String(url), (init ?? {}) as Record<string, unknown>),
      readFile: ([path, encoding]) => this.doReadFile(String(path), encoding),
    };
  }

  private async doFetch(raw: string, init: Record<string, unknown>): Promise<unknown> {
    let url: URL;
    try { url = new URL(raw); } catch { throw new TypeError(`fetch: invalid URL ${JSON.stringify(raw)}`); }
    if (!this.o.caps.fetchAllows(url)) {
      const hp = url.port ? `${url.hostname}:${url.port}` : url.hostname;
      throw this.denied(`fetch:${hp}`);
    }
    const req: RequestInit = { method: typeof init.method === "string" ? init.method : "GET", redirect: "manual" };
    if (Array.isArray(init.headers)) req.headers = (init.headers as unknown[]).filter((p): p is [string, string] => Array.isArray(p) && p.length === 2).map(([k, v]) => [String(k), String(v)]);
    if (typeof init.body === "string" || init.body instanceof Uint8Array) req.body = init.body as BodyInit;
    req.signal = AbortSignal.timeout(this.o.limits.wallMsPerCall);
    const res = this.o.host.fetch ? await this.o.host.fetch(this.o.source, url.href, req) : await fetch(url.href, req);
    const max = this.o.limits.memoryBytes;
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > max) {
          await reader.cancel().catch(() => {});
          throw new RangeError(`fetch: response body of ${url.href} is larger than the memory limit of ${max} bytes`);
        }
        chunks.push(value);
      }
    }
    const body = new Uint8Array(size);
    let off = 0;
    for (const c of chunks) { body.set(c, off); off += c.byteLength; }
    return { status: res.status, statusText: res.statusText, url: res.url || url.href, headers: [...res.headers], body };
  }

  private async doReadFile(path: string, encoding: unknown): Promise<unknown> {
    const dirs = this.o.caps.readDirs;
    if (!dirs.length) throw this.denied("fs:read:DIR");
    if (path.includes("\0")) throw new TypeError("fs.readFile: path contains a NUL byte");
    const abs = resolve(dirs[0], path);
    // Lexical check first, so nothing outside the granted dirs is even looked at.
    if (!dirs.some((d) => isInside(d, abs))) throw this.denied(`fs:read:${dirname(abs)}`);
    let real: string;
    try { real = await fsp().realpath(abs); } catch (e) {
      throw new Error(`fs.readFile: ${(e as NodeJS.ErrnoException).code ?? "error"}: ${path}`);
    }
    if (!dirs.some((d) => isInside(d, real))) throw this.denied(`fs:read:${dirname(real)}`);
    const st = await fsp().stat(real);
    if (!st.isFile()) throw new Error(`fs.readFile: not a file: ${path}`);
    if (st.size > this.o.limits.memoryBytes) throw new RangeError(`fs.readFile: ${path} is larger than the memory limit of ${this.o.limits.memoryBytes} bytes`);
    const buf = await fsp().readFile(real);
    if (encoding === "utf8" || encoding === "utf-8") return dec8.decode(buf);
    if (encoding !== undefined && encoding !== null) throw new TypeError(`fs.readFile: encoding must be "utf8" or omitted: got ${JSON.stringify(encoding)}`);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  // ------------------------------------------------------------ module loader

  private normalize(base: string, req: string): string {
    if (req === "mulefarm" || req === "mulefarm/sandbox" || req === VIRTUAL) return VIRTUAL;
    if (!(req.startsWith("./") || req.startsWith("../") || isAbsolute(req))) {
      throw new UsageError(`${this.o.file}: import "${req}" is not available in the sandbox (only relative files under ${this.o.rootDir} and "mulefarm")`);
    }
    const from = base === VIRTUAL || !isAbsolute(base) ? this.o.file : base;
    const abs = resolve(dirname(from), req);
    const found = [abs, ...(extname(abs) ? [] : IMPORT_EXTS.map((e) => abs + e)), ...IMPORT_EXTS.map((e) => join(abs, "index" + e))]
      .find((p) => { try { return statSync(p).isFile(); } catch { return false; } });
    if (!found) throw new UsageError(`${from}: cannot find module "${req}"`);
    let real: string;
    try { real = realpathSync(found); } catch { real = found; }
    if (!isInside(this.realRoot, real)) throw new UsageError(`${from}: import "${req}" leaves the plugin directory ${this.o.rootDir}`);
    return real;
  }

  private loadSource(name: string): string {
    if (name === VIRTUAL) return VIRTUAL_MODULE;
    const t0 = performance.now();
    try {
      return transpile(readFileSync(name, "utf8"), name);
    } finally {
      this.sliceStart += performance.now() - t0; // transpiling is not the guest's CPU time
    }
  }
}
