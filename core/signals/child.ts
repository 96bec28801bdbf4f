// The child side of signals: this process's handlers, raising (batched per
// turn, bounded: SignalQueueFull instead of blocking), running what the
// master delivers, and signalWait().
import { InvalidSignal, SignalQueueFull, oneLine } from "../errors.ts";
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import { log } from "../log.ts";
import { channel, childSetup, ctx } from "../runtime/context.ts";
import { keepAlive } from "../runtime/keepalive.ts";
import { bump } from "../runtime/stats-push.ts";
import { Deque } from "../base/deque.ts";
import { armHarakiri, clearHarakiri } from "../harakiri/child.ts";
import { checkSignalNumber, parseTarget, type SignalTarget } from "./targets.ts";
import { isLightMule } from "../config.ts";
import { doneTo, listenForPeers, PEER_WINDOW, raiseDirect, whenPeerGone } from "./peer.ts";
import { f64le, putU32le, u32le } from "../base/bytes.ts";
import { unrefTimer } from "../base/timers.ts";
import { tracing } from "../trace/state.ts";

const RESOLVED: Promise<void> = Promise.resolve();

export const RAISE_WINDOW = 65536; // raises awaiting the master's verdict before raiseSignal refuses

export type SignalHandler = (num: number) => unknown;

interface Handler {
  target: string;
  fn: SignalHandler;
  /** Set once the master confirmed the target: then a single-process target other than this one is raised at directly. */
  direct?: string;
}
const handlers = new Map<number, Handler>();
const waiters: Array<{ num?: number; resolve: (n: number) => void }> = [];
let last = 0;

interface Raise { resolve: () => void; reject: (e: Error) => void; num: number }
const awaiting = new Deque<Raise>();
let batch: number[] = [];

childSetup.push((c: Channel) => {
  c.on(Kind.SignalDeliver, (body) => { for (const n of body) handle(n, null); });
  c.on(Kind.SignalAt, (body) => {
    const num = body[0];
    runAt(f64le(body, 1), () => handle(num, null));
  });
  c.on(Kind.SignalAck, (body) => {
    for (let off = 0; off + 5 <= body.length; off += 5) {
      const status = body[off];
      const count = u32le(body, off + 1);
      for (let i = 0; i < count; i++) {
        const r = awaiting.shift();
        if (!r) break;
        if (status === 1) r.reject(new SignalQueueFull(`signal ${r.num} refused: the target's signal queue is full`));
        else r.resolve(); // status 2 (no handler) is logged by the master, as uWSGI does
      }
    }
    if (!awaiting.length) keepAlive.release("signal-raise");
  });
});

/**
 * Registers `fn` for signal `num` in this process and the target in the
 * master's table. Throws at once for a bad number or target, or when this
 * process registered the number for another target; the promise rejects if
 * another process got the number first for another target. Targets are
 * uWSGI's: "" / "worker", "workers", "active-workers", "workerN", "mule",
 * "mules", "muleN", "spooler", "spoolers", a farm ("farm:NAME", "farm_NAME",
 * "NAME", or "farmN" for the N-th --farm).
 *
 * @example
 * await registerSignal(17, "mule2", (num) => console.log("got", num));
 */
export function registerSignal(num: number, target: string, fn: SignalHandler): Promise<void> {
  checkSignalNumber(num);
  const t = parseTarget(target, ctx.config);
  const mine = handlers.get(num);
  if (mine && parseTarget(mine.target, ctx.config).text !== t.text) {
    throw new InvalidSignal(`signal ${num} is already registered for target "${parseTarget(mine.target, ctx.config).text}": cannot register it for "${t.text}"`);
  }
  const h: Handler = { target, fn: tracing ? tracing.signal(num, fn) : fn };
  handlers.set(num, h);
  if (held.length) queueMicrotask(() => releaseHeld(num));
  if (!ctx.channel) return Promise.resolve();
  const p = ctx.channel.request("signal.register", { num, target }).then(() => {
    if (isSelf(t)) listenForPeers((n, from) => handle(n, from));
    else if ((t.kind === "worker" || t.kind === "mule") && t.id && !isLightMuleId(t.id)) h.direct = t.text;
  });
  p.catch((e) => {
    handlers.delete(num);
    log(oneLine(e));
  });
  return p;
}


/** A sandboxed light mule shares its host's process, which takes its signals from the master only. */
function isLightMuleId(id: number): boolean {
  const m = ctx.config?.mules.find((d) => d.id === id);
  return !!m && isLightMule(m);
}

/** workerN / muleN naming this very process. */
function isSelf(t: SignalTarget): boolean {
  return !!t.id && t.kind === ctx.role && t.id === ctx.id;
}

export function signalRegistered(num: number): boolean {
  return handlers.has(num);
}

/**
 * Raises `num`; resolves once routed, rejects with SignalQueueFull when the
 * target is saturated. With `remote` ("host:port", another instance's --rpc
 * address: uWSGI's `uwsgi.signal(num, "host:port")`), that instance routes
 * it; rejects with InvalidSignal when it has no handler for `num`, with
 * RpcUnreachable when it cannot be reached. With "cluster", every instance on
 * this instance's --redis routes it, this one included (core/signals/cluster.ts).
 */
export function raiseSignal(num: number, remote?: string): Promise<void> {
  checkSignalNumber(num);
  // Every instance on the instance's --redis routes it (core/signals/cluster.ts).
  if (remote === "cluster") return channel("raising a cluster signal").request("cluster.signal", { num });
  if (remote) return raiseRemote(num, remote);
  const c = channel("raising a signal");
  const direct = handlers.get(num)?.direct;
  if (direct) {
    const r = raiseDirect(direct, num);
    if (r === "sent") return RESOLVED;
    if (r === "full") return Promise.reject(new SignalQueueFull(`signal ${num} refused: ${direct} has ${PEER_WINDOW} signals of this process unfinished`));
  }
  return raiseViaMaster(c, num);
}

async function raiseRemote(num: number, addr: string): Promise<void> {
  const { remoteRequest, DEFAULT_TIMEOUT_S } = await import("../rpc/child.ts");
  await remoteRequest(addr, "signal.raise", { num }, DEFAULT_TIMEOUT_S, `signal ${num} at ${addr}`);
}

whenPeerGone((target, nums, pid) => {
  log(`${nums.length} signal(s) sent straight to ${target} were unfinished when it went away: raised again through the master`);
  // Marked as second deliveries: the master gives each to the successor once,
  // and drops it if that one dies with it too (a handler that kills its process must not loop).
  const c = ctx.channel;
  if (!c) return;
  const body = new Uint8Array(4 + nums.length);
  putU32le(body, 0, pid);
  body.set(nums, 4);
  c.send(Kind.SignalReraise, body);
  c.flush();
});

function raiseViaMaster(c: Channel, num: number): Promise<void> {
  if (awaiting.length >= RAISE_WINDOW) {
    return Promise.reject(new SignalQueueFull(`signal ${num} refused: ${RAISE_WINDOW} raises of this process are still waiting for the master`));
  }
  // A programmed mule awaiting the verdict has work pending: stay alive for it.
  if (!awaiting.length) keepAlive.hold("signal-raise");
  return new Promise<void>((resolve, reject) => {
    awaiting.push({ resolve, reject, num });
    if (batch.length === 0) queueMicrotask(() => flushRaises(c));
    batch.push(num);
  });
}

function flushRaises(c: Channel) {
  const b = batch;
  batch = [];
  c.send(Kind.SignalRaise, Uint8Array.from(b));
  c.flush(); // latency matters more than coalescing here: the batch is already one frame
}

/** Runs `num`'s handler; reports it finished to whoever delivered it (the master, or a direct raiser). */
function handle(num: number, from: Channel | null): void {
  // Nothing here takes it yet: a program may register its handler after it
  // started (a programmed mule's top level). Keep it a while instead of dropping it.
  if (!handlers.has(num) && !waiters.some((w) => w.num === undefined || w.num === num)) return hold(num, from);
  last = num;
  bump("signals");
  if (waiters.length) {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w.num === undefined || w.num === num) {
        waiters.splice(i, 1);
        w.resolve(num);
      }
    }
    if (!waiters.length) keepAlive.release("signal-wait");
  }
  const h = handlers.get(num);
  if (!h) return finished(num, from);
  const limit = ctx.role === "mule" ? ctx.config?.muleHarakiri : undefined;
  if (limit) armHarakiri(limit, `signal ${num} handler`);
  const done = () => {
    if (limit) clearHarakiri();
    finished(num, from);
  };
  const failed = (e: unknown) => {
    log(`error managing signal ${num} on ${ctx.role} ${ctx.id}: ${oneLine(e)}`);
    done();
  };
  let r: unknown;
  try {
    r = h.fn(num);
  } catch (e) {
    return failed(e);
  }
  // A synchronous handler is finished now: no promise, no extra turn.
  if (r !== null && typeof r === "object" && typeof (r as any).then === "function") (r as PromiseLike<unknown>).then(done, failed);
  else done();
}

/** Reports `num` finished to whoever delivered it (the master, or a direct raiser). */
function finished(num: number, from: Channel | null) {
  const to = from ?? ctx.channel;
  if (to) doneTo(to, num);
}

// Signals that arrived before this process registered a handler (or a signalWait) for them.
const HOLD_MS = 5000;
const HOLD_MAX = 1024;
const held: Array<{ num: number; from: Channel | null; at: number }> = [];
let holdTimer: ReturnType<typeof setTimeout> | undefined;

function hold(num: number, from: Channel | null) {
  if (held.length >= HOLD_MAX) return drop(num, from);
  held.push({ num, from, at: Date.now() });
  holdTimer ??= setTimeout(expireHeld, HOLD_MS);
  unrefTimer(holdTimer);
}

function drop(num: number, from: Channel | null) {
  log(`signal ${num} arrived but this process has no handler for it (load the module that registers it with --import)`);
  finished(num, from);
}

function expireHeld() {
  holdTimer = undefined;
  const now = Date.now();
  while (held.length && now - held[0].at >= HOLD_MS) { const h = held.shift()!; drop(h.num, h.from); }
  if (held.length) { holdTimer = unrefTimer(setTimeout(expireHeld, HOLD_MS - (now - held[0].at))); }
}

/** A handler or waiter for `num` appeared: run what was held for it, in arrival order. */
function releaseHeld(num?: number) {
  for (let i = 0; i < held.length;) {
    const h = held[i];
    if (num === undefined || h.num === num) { held.splice(i, 1); handle(h.num, h.from); } else i++;
  }
}

/** Resolves with the number of the next signal this process receives (`num`: only that one). */
export function signalWait(num?: number): Promise<number> {
  if (num !== undefined) checkSignalNumber(num);
  channel("signalWait()");
  keepAlive.hold("signal-wait");
  return new Promise((resolve) => {
    waiters.push({ num, resolve });
    if (held.length) queueMicrotask(() => releaseHeld(num));
  });
}

/** The number of the last signal this process received (0 when none). */
export function signalReceived(): number {
  return last;
}

/** Asks the master for a signal number for `key`; every process asking with the same key gets the same one. */
export function allocateSignal(key: string): Promise<number> {
  return channel("allocating a signal number").request<number>("signal.alloc", { key });
}

// Timer ticks arrive a few ms ahead with their time: run them then. The clock
// is performance.timeOrigin + now(), which processes on one machine share to
// within some tens of microseconds.
const SPIN_MS = 1; // setTimeout may fire this late: wake earlier, then yield until due
const clock = () => performance.timeOrigin + performance.now();

function runAt(at: number, fn: () => void) {
  const wait = at - clock();
  if (wait <= 0) return fn();
  const spin = () => { if (clock() >= at) fn(); else setImmediate(spin); };
  setTimeout(spin, Math.max(0, wait - SPIN_MS));
}
