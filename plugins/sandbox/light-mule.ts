/**
 * Sandboxed light mules: a programmed mule script run as a QuickJS runtime
 * inside a shared host process instead of a process of its own (uWSGI's
 * "unlimited mules", cheaply: ~80 KB each measured, see README.md).
 *
 * All light mules share ONE QuickJS wasm instance (one heap, compiled once);
 * each has its own runtime + context, so its own allocator limit, stack
 * limit and CPU interrupt. A run of guest code may not grow the shared heap
 * by more than `limits.memoryBytes`.
 *
 * The script is a module in one of two styles:
 *
 * ```ts
 * // loop style (like a uWSGI programmed mule)
 * for await (const msg of Mule.messages()) { … }     // or: await Mule.getMessage({ timeout })
 *
 * // handler style: module evaluation completes, then each message is a call
 * export function onMessage(msg: string | Uint8Array) { … }   // may be async
 * ```
 *
 * Guest API: the global `Mule` (`getMessage(opts?)`, `messages()`,
 * `currentId()`, `send(msg)` [needs `mule`], `onSignal(fn)`), plus
 * everything plugins get (`cache`, `spool`, `signal`, `mule.send`, `log`,
 * `console`, `fetch`, `fs`, `env`, through capabilities). `import { Mule,
 * cache } from "mulefarm"` works too. A light mule has no manifest: its
 * capabilities are exactly the operator's grants.
 *
 * If the script dies (throws, or exceeds a limit), `host.onError` is told and
 * it is restarted with a fresh context (its module state is lost; queued
 * messages are kept), with the back-off the master gives a process that keeps
 * dying (core/base/respawn-backoff.ts: at once, then 100 ms doubling up to
 * 10 s while it dies within 5 s of starting), one `host.log` line each. A
 * loop-style script that simply returns is "exited" and not restarted. A
 * script that cannot be loaded at all (a syntax error, an import that is
 * missing or not allowed) makes createLightMule throw instead.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { QueueFull, SpecNotFound, UsageError, refused } from "../../core/errors.ts";
import { writeErr } from "../../core/log.ts";
import { quickDeaths, respawnDelayMs } from "../../core/base/respawn-backoff.ts";
import { CAPABILITY_FORMS, CapabilitySet, parseCapability } from "./capabilities.ts";
import { loadFailure } from "./guest-error.ts";
import { DEFAULT_LIMITS, type HostApi, type Limits } from "./host-api.ts";
import { type QuickJSInstance, sharedQuickJSInstance } from "./quickjs.ts";
import { type ModuleInfo, Sandbox } from "./sandbox.ts";
import { ensureTranspiler, transpile } from "./transpile.ts";

export type MuleMessage = string | Uint8Array;

export interface LightMuleOptions {
  /** The mule id (what `Mule.currentId()` returns; `mule <id>` in messages). */
  id: number;
  /** Capabilities (bare: `cache`, `fetch:HOST` …). Default: none. */
  grants?: readonly string[];
  host?: HostApi;
  limits?: Partial<Limits>;
  /** Messages queued beyond this make deliver() throw QueueFull. Default 100 000. */
  maxQueue?: number;
  /** Delay before restarting a dead script, instead of the back-off; negative: never. Default: back-off. */
  restartDelayMs?: number;
  /** Directory relative `fs:read:DIR` grants resolve against (default: process.cwd()). */
  grantBase?: string;
}

export type LightMuleState = "starting" | "running" | "dead" | "exited" | "disposed";

export interface LightMuleStats {
  id: number;
  file: string;
  state: LightMuleState;
  /** "loop" (awaits Mule.getMessage), "handler" (exports onMessage), or "unknown" until known. */
  style: "loop" | "handler" | "unknown";
  /** Messages handed to the script. */
  delivered: number;
  /** Messages waiting. */
  queued: number;
  restarts: number;
  /** Bytes QuickJS reports in use by this mule's runtime. */
  memoryUsed: number;
}

export interface LightMule {
  readonly id: number;
  readonly file: string;
  /** Messages the script has taken from its queue so far. */
  readonly taken: number;
  /** Queues a message for the script. Never runs guest code synchronously. Throws QueueFull. */
  deliver(msg: MuleMessage): void;
  /** Runs the script's signal handlers (Mule.onSignal, exported onSignal); resolves true if one ran. */
  signal(num: number): Promise<boolean>;
  stats(): LightMuleStats;
  /** Frees the mule's runtime. */
  dispose(): void;
}

/** Loads and starts a light mule. Throws SpecNotFound, UsageError (syntax, missing import, bad grant). */
export async function createLightMule(file: string, opts: LightMuleOptions): Promise<LightMule> {
  if (!Number.isInteger(opts.id) || opts.id < 1) throw new UsageError(refused("light mule id must be a positive integer", opts.id));
  const abs = resolve(file);
  let source: string;
  try { source = readFileSync(abs, "utf8"); } catch (e) {
    throw new SpecNotFound(`mule script not found: ${abs} (${(e as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  const limits = { ...DEFAULT_LIMITS, ...(opts.limits ?? {}) };
  const base = opts.grantBase ?? process.cwd();
  const caps = (opts.grants ?? []).map((g) => {
    const c = parseCapability(g, base);
    if (!c) throw new UsageError(`mule ${opts.id}: grant "${g}" is not a capability (one of ${CAPABILITY_FORMS})`);
    return c;
  });
  await ensureTranspiler();
  let js: string;
  try { js = transpile(source, abs); } catch (e) { throw loadFailure(e, scriptName(opts.id, abs)) ?? e; }
  const m = new SandboxedMule(opts.id, abs, js, limits, new CapabilitySet(caps), opts);
  await m.start(true);
  return m;
}

/** How errors that stop the start name a light mule. */
const scriptName = (id: number, file: string) => `light mule ${id} (${file})`;

/** Size of the heap all light mules share (0 before the first one). */
export async function lightMuleHeapBytes(): Promise<number> {
  return (await sharedQuickJSInstance()).memory.buffer.byteLength;
}

const BURST = 64; //        messages handed over synchronously before yielding to the event loop
const PER_TURN = 512; //    messages per event-loop turn

class SandboxedMule implements LightMule {
  private sb: Sandbox | null = null;
  private state: LightMuleState = "starting";
  private style: LightMuleStats["style"] = "unknown";
  private queue: MuleMessage[] = [];
  private qHead = 0;
  private waiters: number[] = [];
  private timers = new Map<number, ReturnType<typeof setTimeout>>();
  private nextWaiter = 1;
  private burst = 0;
  private scheduled = false;
  private busy = false;
  private evalId = 0;
  private delivered = 0;
  private restarts = 0;
  private startedAt = 0;
  private deaths = 0; // quick deaths in a row (respawn-backoff.ts)
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly host: HostApi;
  private readonly source: string;

  constructor(
    readonly id: number,
    readonly file: string,
    private readonly js: string,
    private readonly limits: Limits,
    private readonly caps: CapabilitySet,
    private readonly opts: LightMuleOptions,
  ) {
    this.host = opts.host ?? {};
    this.source = `mule ${id}`;
  }

  private get queued(): number { return this.queue.length - this.qHead; }

  /** Messages the script has taken from its queue so far (cheap; stats() asks QuickJS for memory). */
  get taken(): number { return this.delivered; }

  private take(): MuleMessage {
    const m = this.queue[this.qHead++];
    if (this.qHead > 1024 && this.qHead * 2 > this.queue.length) { this.queue = this.queue.slice(this.qHead); this.qHead = 0; }
    this.delivered++;
    return m;
  }

  /** Evaluates the script. `first`: a script that cannot be loaded throws (it is not restarted). */
  async start(first = false): Promise<void> {
    const instance: QuickJSInstance = await sharedQuickJSInstance();
    if (this.state === "disposed") return;
    this.style = "unknown";
    this.waiters = [];
    this.sb = Sandbox.create({
      label: this.source, source: this.source, file: this.file, rootDir: dirname(this.file),
      caps: this.caps, grantHint: "", host: this.host, limits: this.limits,
      instance, ownInstance: false,
      mule: { id: this.id, ops: { getMessage: (a) => this.opGetMessage(a[0]) } },
    });
    const sb = this.sb;
    this.state = "running";
    this.startedAt = Date.now();
    const call = sb.loadModule(this.js);
    this.evalId = call.id;
    if (first && !sb.isPending(call.id)) {
      // Settled while it was parsed, linked and run up to its first await: a
      // module that cannot be loaded stops here, one that threw is restarted.
      const unloadable = await call.done.then(() => null, (e) => loadFailure(e, scriptName(this.id, this.file)));
      if (unloadable) { this.dispose(); throw unloadable; }
    }
    call.done.then(
      (info) => this.evaluated(sb, info as ModuleInfo),
      (err) => this.died(sb, err as Error),
    );
    if (this.queued) this.schedule();
  }

  /** Guest asks for the next message: hand one over now, or register a waiter. */
  private opGetMessage(timeout: unknown): unknown {
    this.style = "loop";
    this.sb!.resetBudget(); // CPU budget is per message
    if (this.queued && this.burst < BURST) {
      this.burst++;
      return { m: this.take() };
    }
    const w = this.nextWaiter++;
    this.waiters.push(w);
    if (typeof timeout === "number" && timeout >= 0) {
      this.timers.set(w, setTimeout(() => {
        this.timers.delete(w);
        const i = this.waiters.indexOf(w);
        if (i < 0 || !this.sb) return;
        this.waiters.splice(i, 1);
        this.safe(() => this.sb!.deliver(w, null));
      }, timeout * 1000));
    }
    if (this.queued) this.schedule();
    return { w };
  }

  private evaluated(sb: Sandbox, info: ModuleInfo): void {
    if (sb !== this.sb) return;
    if (info.functions.includes("onMessage")) {
      this.style = "handler";
      this.schedule();
    } else if (this.style !== "loop" || this.waiters.length === 0) {
      this.state = "exited";
    }
  }

  private died(sb: Sandbox, err: Error): void {
    if (sb !== this.sb || this.state === "disposed") return;
    this.state = "dead";
    this.host.onError?.(this.source, err);
    const fixed = this.opts.restartDelayMs;
    if (fixed !== undefined && fixed < 0) return;
    this.deaths = quickDeaths(this.deaths, Date.now() - this.startedAt);
    const delay = fixed ?? respawnDelayMs(this.deaths);
    const line = `died; restarting${delay ? ` in ${delay} ms` : ""}${this.deaths > 1 ? ` (died ${this.deaths} times in a row)` : ""}`;
    if (this.host.log) this.host.log(this.source, line, "warn");
    else writeErr(`[${this.source}] ${line}\n`);
    this.restartTimer = setTimeout(() => {
      if (this.state !== "dead") return;
      this.restarts++;
      this.teardown();
      this.start().catch((e) => this.host.onError?.(this.source, e as Error));
    }, delay);
  }

  deliver(msg: MuleMessage): void {
    if (typeof msg !== "string" && !(msg instanceof Uint8Array)) throw new TypeError(refused(`mule ${this.id}: a message must be a string or a Uint8Array`, msg));
    if (this.state === "disposed") throw new Error(`mule ${this.id} is disposed`);
    const max = this.opts.maxQueue ?? 100_000;
    if (this.queued >= max) throw new QueueFull(`mule ${this.id} has ${this.queued} messages queued (the limit is ${max})`);
    this.queue.push(msg);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => { this.scheduled = false; this.pump(); }, 0);
  }

  /** One event-loop turn of handing messages to the script. */
  private pump(): void {
    const sb = this.sb;
    if (!sb || this.state !== "running") return;
    this.burst = 0;
    let n = 0;
    if (this.style === "handler") {
      if (this.busy || !this.queued) return;
      this.busy = true;
      const msg = this.take();
      let done: Promise<unknown>;
      try { done = sb.invoke("onMessage", [msg], "onMessage").done; } catch (e) { this.busy = false; this.died(sb, e as Error); return; }
      done.then(
        () => {},
        (e) => { if (sb === this.sb) this.host.onError?.(this.source, e as Error); },
      ).finally(() => {
        this.busy = false;
        if (sb === this.sb && sb.broken) this.died(sb, sb.broken);
        else if (this.queued) this.schedule();
      });
      return;
    }
    while (this.waiters.length && this.queued && n < PER_TURN && this.sb === sb && this.state === "running") {
      const w = this.waiters.shift()!;
      const t = this.timers.get(w);
      if (t) { clearTimeout(t); this.timers.delete(w); }
      n += 1 + this.burst;
      this.burst = 0;
      if (!this.safe(() => sb.deliver(w, this.take()))) return;
      sb.setActive(this.evalId); // the loop is the call that a limit hit kills
    }
    if (this.queued && this.waiters.length) this.schedule();
  }

  private safe(fn: () => void): boolean {
    const sb = this.sb;
    try {
      fn();
      return true;
    } catch (e) {
      if (sb) this.died(sb, e as Error);
      return false;
    }
  }

  async signal(num: number): Promise<boolean> {
    const sb = this.sb;
    if (!sb || this.state !== "running") return false;
    try {
      const r = await sb.signal(num, `signal ${num} handler`).done;
      return r === true;
    } finally {
      if (this.style === "loop" && sb === this.sb) sb.setActive(this.evalId);
    }
  }

  stats(): LightMuleStats {
    let memoryUsed = 0;
    try { memoryUsed = this.sb?.memoryUsed() ?? 0; } catch { /* broken */ }
    return { id: this.id, file: this.file, state: this.state, style: this.style, delivered: this.delivered, queued: this.queued, restarts: this.restarts, memoryUsed };
  }

  private teardown(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.waiters = [];
    this.sb?.dispose(new Error(`mule ${this.id} was stopped`));
    this.sb = null;
  }

  dispose(): void {
    if (this.state === "disposed") return;
    this.state = "disposed";
    clearTimeout(this.restartTimer);
    this.teardown();
  }
}
