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
import { Deque } from "../mules/deque.ts";
import { armHarakiri, clearHarakiri } from "../harakiri/child.ts";
import { checkSignalNumber, parseTarget } from "./targets.ts";

export const RAISE_WINDOW = 65536; // raises awaiting the master's verdict before raiseSignal refuses

export type SignalHandler = (num: number) => unknown;

const handlers = new Map<number, { target: string; fn: SignalHandler }>();
const waiters: Array<{ num?: number; resolve: (n: number) => void }> = [];
let last = 0;

interface Raise { resolve: () => void; reject: (e: Error) => void; num: number }
const awaiting = new Deque<Raise>();
let batch: number[] = [];
let done: number[] = [];

childSetup.push((c: Channel) => {
  c.on(Kind.SignalDeliver, (body) => { for (const n of body) void handle(n); });
  c.on(Kind.SignalAck, (body) => {
    const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
    for (let off = 0; off + 5 <= body.length; off += 5) {
      const status = body[off];
      const count = v.getUint32(off + 1, true);
      for (let i = 0; i < count; i++) {
        const r = awaiting.shift();
        if (!r) break;
        if (status === 1) r.reject(new SignalQueueFull(`signal ${r.num} refused: the target's signal queue is full`));
        else r.resolve(); // status 2 (no handler) is logged by the master, as uWSGI does
      }
    }
  });
});

/**
 * Registers `fn` for signal `num` in this process and the target in the
 * master's table. Throws at once for a bad number or target, or when this
 * process registered the number for another target; the promise rejects if
 * another process got the number first for another target.
 */
export function registerSignal(num: number, target: string, fn: SignalHandler): Promise<void> {
  checkSignalNumber(num);
  const t = parseTarget(target, ctx.config);
  const mine = handlers.get(num);
  if (mine && parseTarget(mine.target, ctx.config).text !== t.text) {
    throw new InvalidSignal(`signal ${num} is already registered for target "${parseTarget(mine.target, ctx.config).text}": cannot register it for "${t.text}"`);
  }
  handlers.set(num, { target, fn });
  if (!ctx.channel) return Promise.resolve();
  const p = ctx.channel.request("signal.register", { num, target }).then(() => {});
  p.catch((e) => {
    handlers.delete(num);
    log(oneLine(e));
  });
  return p;
}

export function signalRegistered(num: number): boolean {
  return handlers.has(num);
}

/** Raises `num`; resolves once routed, rejects with SignalQueueFull when the target is saturated. */
export function raiseSignal(num: number): Promise<void> {
  checkSignalNumber(num);
  const c = channel("raising a signal");
  if (awaiting.length >= RAISE_WINDOW) {
    return Promise.reject(new SignalQueueFull(`signal ${num} refused: ${RAISE_WINDOW} raises of this process are still waiting for the master`));
  }
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

async function handle(num: number) {
  last = num;
  bump("signals");
  let consumed = false;
  for (let i = waiters.length - 1; i >= 0; i--) {
    const w = waiters[i];
    if (w.num === undefined || w.num === num) {
      waiters.splice(i, 1);
      w.resolve(num);
      consumed = true;
    }
  }
  if (!waiters.length) keepAlive.release("signal-wait");
  const h = handlers.get(num);
  const limit = ctx.role === "mule" ? ctx.config?.muleHarakiri : undefined;
  try {
    if (h && limit) armHarakiri(limit, `signal ${num} handler`);
    if (h) await h.fn(num);
    else if (!consumed) log(`signal ${num} arrived but this process has no handler for it (load the module that registers it with --import)`);
  } catch (e) {
    log(`error managing signal ${num} on ${ctx.role} ${ctx.id}: ${oneLine(e)}`);
  } finally {
    if (h && limit) clearHarakiri();
    if (done.length === 0) queueMicrotask(flushDone);
    done.push(num);
  }
}

function flushDone() {
  const d = done;
  done = [];
  ctx.channel?.send(Kind.SignalDone, Uint8Array.from(d));
}

/** Resolves with the number of the next signal this process receives (`num`: only that one). */
export function signalWait(num?: number): Promise<number> {
  if (num !== undefined) checkSignalNumber(num);
  channel("signalWait()");
  keepAlive.hold("signal-wait");
  return new Promise((resolve) => waiters.push({ num, resolve }));
}

/** The number of the last signal this process received (0 when none). */
export function signalReceived(): number {
  return last;
}

/** Asks the master for a signal number for `key`; every process asking with the same key gets the same one. */
export function allocateSignal(key: string): Promise<number> {
  return channel("allocating a signal number").request<number>("signal.alloc", { key });
}
