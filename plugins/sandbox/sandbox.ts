/**
 * One QuickJS runtime + context running one script (a plugin or a light
 * mule): slices, calls, the host-function bridge and the prelude. Limits are
 * in limit-meter.ts, errors in guest-error.ts, values in marshal.ts, the
 * operations behind `__mf_call` in host-ops.ts, imports in module-loader.ts.
 * Used by plugin.ts and light-mule.ts; not part of the public interface.
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
import type { QuickJSContext, QuickJSDeferredPromise, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten-core";
import type { CapabilitySet } from "./capabilities.ts";
import { classifyLimit, errorInfo, GuestError, type GuestErrorInfo, hostError } from "./guest-error.ts";
import { type GuestScope, hostOps, type Op } from "./host-ops.ts";
import { LimitMeter, type LimitKind } from "./limit-meter.ts";
import { decode, encode } from "./marshal.ts";
import { ModuleLoader } from "./module-loader.ts";
import { PRELUDE } from "./prelude.ts";
import { markInstanceBroken, type QuickJSInstance } from "./quickjs.ts";

export { GuestError, type GuestErrorInfo } from "./guest-error.ts";
export type { LimitKind } from "./limit-meter.ts";

export interface ModuleInfo { functions: string[]; manifest: unknown; hasManifest: boolean }

/** CPU budget of the prelude (host code; a cold wasm JIT on a busy machine can take 100+ ms). */
const PRELUDE_BUDGET_MS = 5000;
/** Module evaluation gets at least this much CPU (cold wasm JIT, module-level setup). */
export const LOAD_MIN_BUDGET_MS = 1000;

export interface SandboxOptions extends GuestScope {
  /** Absolute path of the entry script. */
  file: string;
  /** Relative imports must resolve inside this (real) directory. */
  rootDir: string;
  instance: QuickJSInstance;
  /** The instance's heap belongs to this sandbox alone (its maximum is the hard memory cap). */
  ownInstance: boolean;
  /** Light mule: its id and extra host operations (getMessage …). */
  mule?: { id: number; ops: Record<string, Op> };
}

interface Pending { resolve(v: unknown): void; reject(e: Error): void; what: string }

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
  private readonly meter: LimitMeter;
  private internals: { dispatch: QuickJSHandle; watch: QuickJSHandle; deliver: QuickJSHandle; signal: QuickJSHandle } | null = null;
  private readonly deferreds = new Set<QuickJSDeferredPromise>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private active: number | null = null;
  private disposeAfterSlice: Error | null = null;

  private constructor(o: SandboxOptions, rt: QuickJSRuntime, ctx: QuickJSContext) {
    this.o = { ...o };
    this.rt = rt;
    this.ctx = ctx;
    this.meter = new LimitMeter(o.limits, o.instance, o.ownInstance);
    this.ops = { settle: (a) => this.settle(a), ...hostOps(this.o), ...(o.mule?.ops ?? {}) };
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
      const loader = new ModuleLoader(o.file, o.rootDir, (fn) => sb.meter.excluding(fn));
      rt.setInterruptHandler(() => sb.meter.shouldInterrupt());
      rt.setModuleLoader((name) => loader.load(name), (base, req) => loader.normalize(base, req));
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

  // ------------------------------------------------------------ budgets

  /** Starts a new CPU budget (a new call, or a light mule taking its next message). */
  resetBudget(budgetMs = this.o.limits.cpuMsPerCall): void {
    this.meter.reset(budgetMs);
  }

  /** Makes `id` the call that slices are charged to and that a limit hit rejects. */
  setActive(id: number | null, budgetMs?: number): void {
    this.active = id;
    this.resetBudget(budgetMs);
  }

  /** Host-side error for a failed call: PluginLimitExceeded for limits, else the guest's error. */
  toHostError(info: GuestErrorInfo | null, what: string, hit: LimitKind | null = this.meter.limitHit): Error {
    return hostError(this.o, info, what, hit);
  }

  // ------------------------------------------------------------ slices

  /**
   * Runs `fn` (which enters the VM) and then the job queue, as one slice.
   * Nested calls just run `fn`. Host-side QuickJS failures mark the sandbox
   * broken and are rethrown.
   */
  slice<T>(fn: () => T): T {
    if (this.meter.inSlice) return fn();
    if (this.disposed) throw new Error(`${this.o.label} is disposed`);
    if (this.broken) throw this.broken;
    this.meter.begin();
    try {
      const out = fn();
      this.pump();
      return out;
    } catch (e) {
      this.broken = e instanceof Error ? e : new Error(String(e));
      if (e instanceof WebAssembly.RuntimeError || /Aborted\(/.test(this.broken.message)) markInstanceBroken(this.o.instance);
      throw this.broken;
    } finally {
      const hit = this.meter.end();
      if (hit && this.active !== null) this.fail(this.active, null, hit);
      if (this.disposeAfterSlice) this.dispose(this.disposeAfterSlice);
    }
  }

  private pump(): void {
    for (let i = 0; this.rt.hasPendingJob(); i++) {
      const r = this.rt.executePendingJobs();
      if (r.error) {
        const info = errorInfo(this.ctx, r.error);
        r.error.dispose();
        if (!this.meter.limitHit && !classifyLimit(info, null)) {
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

  /** The guest's `settle` operation: the result of host→guest call `id`. */
  private settle([id, ok, v]: unknown[]): void {
    const p = this.pending.get(Number(id));
    if (!p) return;
    this.pending.delete(Number(id));
    if (ok === true) p.resolve(v);
    else p.reject(this.toHostError(v && typeof v === "object" ? (v as GuestErrorInfo) : null, p.what, this.meter.limitHit));
  }

  /** Whether call `id` is still running (not yet resolved, rejected or abandoned). */
  isPending(id: number): boolean {
    return this.pending.has(id);
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
        const info = errorInfo(this.ctx, r.error);
        r.error.dispose();
        this.fail(call.id, info, this.meter.limitHit);
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
    const argH = encode(this.ctx, args); // throws on host values that are not plain data
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
    const vH = encode(this.ctx, value);
    this.slice(() => {
      const wH = this.ctx.newNumber(waiter);
      const res = this.ctx.callFunction(this.internals!.deliver, this.ctx.undefined, wH, vH);
      wH.dispose(); vH.dispose();
      this.consume(res, this.active);
    });
  }

  private consume(res: ReturnType<QuickJSContext["callFunction"]>, id: number | null): void {
    if (res.error) {
      const info = errorInfo(this.ctx, res.error);
      res.error.dispose();
      if (id !== null) this.fail(id, info, this.meter.limitHit);
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
    if (this.meter.inSlice) {
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
        const info = errorInfo(ctx, r.error);
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
    return this.meter.excluding(() => this.hostCallInner(opH, xH)); // host time is not the guest's CPU time
  }

  private hostCallInner(opH: QuickJSHandle, xH: QuickJSHandle): QuickJSHandle {
    const ctx = this.ctx;
    if (ctx.typeof(opH) !== "string") throw new TypeError("host call: bad operation");
    const op = ctx.getString(opH);
    const impl = Object.prototype.hasOwnProperty.call(this.ops, op) ? this.ops[op] : undefined;
    if (!impl) throw new TypeError(`host call: unknown operation ${op}`);
    const args = decode(ctx, xH);
    const out = impl(Array.isArray(args) ? args : []);
    if (!isThenable(out)) return encode(ctx, out);
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
          try { h = encode(this.ctx, v); } catch (e) { h = this.ctx.newError({ name: "TypeError", message: `host value cannot be passed to the sandbox: ${(e as Error).message}` }); ok = false; }
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
}
