// The child side of mule messaging. Senders (any process) write MuleSend
// frames within a window the master acknowledges; when the window is full,
// send() waits (backpressure) and rejects with QueueFull after
// --mule-send-timeout. Mules receive MuleDeliver frames into a local buffer
// served to getMessage() calls, and return credit as they consume.
import { pack, unpack } from "msgpackr/pack";
import { FarmNotFound, InvalidMessage, MessageTooLarge, MuleNotFound, NotInMule, QueueFull, oneLine, shown } from "../errors.ts";
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import { log } from "../log.ts";
import { channel, ctx, childSetup } from "../runtime/context.ts";
import { keepAlive } from "../runtime/keepalive.ts";
import { Deque } from "../base/deque.ts";
import { finishDirect, knownLane, laneTo, openOwnInbox, sleepDirect, takeDirect, wakeDirect } from "./direct.ts";
import { MSG_HEADER, Payload, Source, Target, credit, decodePayload, encodeString } from "./wire.ts";
import { u32le } from "../base/bytes.ts";
import { tracing } from "../trace/state.ts";

const SEND_WINDOW = 8192; // frames a sender may have unacknowledged by the master
const SEND_WINDOW_BYTES = 1 << 20; // ... and bytes: big messages must not queue megabytes in a socket

export type Message = string | Uint8Array;
const HEAD = new Uint8Array(MSG_HEADER); // reused: copied into the frame at once
const RESOLVED: Promise<void> = Promise.resolve();

// ---------------------------------------------------------------- sending

interface Waiting { body: Uint8Array; resolve: () => void; reject: (e: Error) => void; timer?: ReturnType<typeof setTimeout> }
let unacked = 0;
let unackedBytes = 0;
const unackedSizes = new Deque<number>();
const waiting = new Deque<Waiting>();
const hasRoom = () => unacked < SEND_WINDOW && unackedBytes < SEND_WINDOW_BYTES;

childSetup.push((c: Channel) => {
  c.on(Kind.MuleSendAck, (body) => {
    const n = u32le(body, 0);
    unacked -= n;
    for (let i = 0; i < n; i++) unackedBytes -= unackedSizes.shift() ?? 0;
    while (waiting.length && hasRoom()) {
      const w = waiting.shift()!;
      clearTimeout(w.timer);
      write(c, w.body);
      w.resolve();
    }
    if (!waiting.length) keepAlive.release("mule-send");
  });
});

function write(c: Channel, body: Uint8Array) {
  unacked++;
  unackedBytes += body.length;
  unackedSizes.push(body.length);
  c.send(Kind.MuleSend, body);
}

/** Validates the target against the configuration; returns [target, index]. */
export function resolveTarget(to: number | string | undefined, type: number): [number, number] {
  const cfg = ctx.config;
  if (!cfg || !cfg.mules.length) throw new MuleNotFound("no mule is configured (start mulefarm with --mule)");
  if (to === undefined || to === 0 || to === "") {
    if (type !== Payload.MuleFunc && !cfg.mules.some((m) => m.spec !== null)) {
      throw new MuleNotFound("no programmed mule takes messages (every mule is signal-only: give --mule=SPEC)");
    }
    return [Target.Shared, 0];
  }
  if (typeof to === "number") {
    const def = cfg.mules.find((m) => m.id === to);
    if (!def) throw new MuleNotFound(`no mule with id ${to} (there ${cfg.mules.length === 1 ? "is 1 mule" : `are ${cfg.mules.length} mules`})`);
    if (def.spec === null && type !== Payload.MuleFunc) throw new MuleNotFound(`mule ${to} is signal-only and takes no messages (give it a program: --mule=SPEC)`);
    return [Target.Mule, to];
  }
  const fi = cfg.farms.findIndex((f) => f.name === to);
  if (fi < 0) throw new FarmNotFound(`no farm named "${to}"${cfg.farms.length ? ` (farms: ${cfg.farms.map((f) => f.name).join(", ")})` : ""}`);
  if (type !== Payload.MuleFunc && !cfg.farms[fi].mules.some((id) => cfg.mules.find((m) => m.id === id)?.spec !== null)) {
    throw new FarmNotFound(`farm "${to}" has no programmed mule to take messages`);
  }
  return [Target.Farm, fi];
}

/**
 * Sends one message. Throws synchronously on a bad target or size; the
 * promise resolves when the message is accepted (within the window the master
 * acknowledges) and rejects with QueueFull after --mule-send-timeout.
 */
export function sendMessage(to: number | string | undefined, msg: Message, type?: number): Promise<void> {
  const c = channel("sending a mule message");
  const t = type ?? (typeof msg === "string" ? Payload.String : Payload.Bytes);
  if (typeof msg !== "string" && !(msg instanceof Uint8Array)) {
    throw new InvalidMessage(`a mule message must be a string or a Uint8Array: got ${msg === null ? "null" : Array.isArray(msg) ? "an array" : typeof msg === "object" ? `an object (${shown(msg).slice(0, 40)})` : shown(msg)}`);
  }
  const max = ctx.config!.muleMsgSize;
  // A string's UTF-8 size is at most 3× its length: a string that could be too
  // big is encoded once here and sent as those bytes (same payload type).
  if (typeof msg === "string" && msg.length * 3 > max) msg = encodeString(msg);
  const isText = typeof msg === "string";
  const size = msg.length;
  if (size > max) throw new MessageTooLarge(`mule message is ${size} bytes, larger than --mule-msg-size ${max}`);
  if (tracing && t !== Payload.MuleFunc) msg = tracing.muleSend(to, msg); // the envelope is not counted against the size
  if (t !== Payload.MuleFunc && typeof to === "number") {
    const lane = knownLane(to); // only validated targets have one
    if (lane) return lane.send(t, msg);
  }
  const [target, index] = resolveTarget(to, t);
  if (target === Target.Mule && t !== Payload.MuleFunc) {
    const lane = laneTo(index, c);
    if (lane) return lane.send(t, msg);
  }
  const head = HEAD;
  head[0] = target;
  head[1] = index & 0xff;
  head[2] = index >> 8;
  head[3] = t;
  if (hasRoom() && !waiting.length) {
    unacked++;
    const approx = MSG_HEADER + size; // for a short string, its length stands in for its UTF-8 size
    unackedBytes += approx;
    unackedSizes.push(approx);
    if (isText) c.writer.frameText(Kind.MuleSend, head, msg as string);
    else {
      const bytes = msg as Uint8Array;
      c.writer.frameWith(Kind.MuleSend, MSG_HEADER + bytes.length, (buf, _v, off) => { buf.set(head, off); buf.set(bytes, off + MSG_HEADER); });
    }
    return RESOLVED;
  }
  const payload = isText ? encodeString(msg as string) : (msg as Uint8Array);
  const body = new Uint8Array(MSG_HEADER + payload.length);
  body.set(head, 0); // copied now: HEAD is reused by the next call
  body.set(payload, MSG_HEADER);
  keepAlive.hold("mule-send");
  return new Promise<void>((resolve, reject) => {
    const w: Waiting = { body, resolve, reject };
    const timeoutS = ctx.config!.muleSendTimeout;
    w.timer = setTimeout(() => {
      // Still ours, never written: refusing it loses nothing that was accepted.
      const rest = waiting.drain().filter((x) => x !== w);
      waiting.unshiftAll(rest);
      if (!waiting.length) keepAlive.release("mule-send");
      reject(new QueueFull(`mule queue for ${describeTarget(to)} stayed full for ${timeoutS} s (--mule-send-timeout)`));
    }, timeoutS * 1000);
    waiting.push(w);
  });
}

function describeTarget(to: number | string | undefined): string {
  return to === undefined || to === 0 ? "the shared mule queue" : typeof to === "number" ? `mule ${to}` : `farm "${to}"`;
}

// -------------------------------------------------------------- receiving

const OWN_WINDOW = 4096; //  own-queue messages the master may push ahead
const GROUP_WINDOW = 128; // shared/farm messages prefetched while this mule reads
const FUNC_WINDOW = 64; //   offloaded functions queued ahead

interface Delivered { src: number; farm: number; type: number; payload: Uint8Array }
interface Waiter { farms: boolean; farmOnly: boolean; resolve: (m: Message | null) => void; timer?: ReturnType<typeof setTimeout> }

const buffer = new Deque<Delivered>();
const waiters: Waiter[] = [];
const handedOut = new Deque<number>(); // sources of messages handed to user code, not yet finished
const DIRECT = 255; // a handed-out message that came through a direct ring
let groupGranted = 0;
let groupReceived = 0;
const pending = { consumed: 0, own: 0, group: 0, func: 0 };
let creditScheduled = false;
let receiving = false;

/** Called by the mule role once it is ready to take messages. */
export function startReceiving(c: Channel): void {
  if (receiving) return;
  receiving = true;
  c.on(Kind.MuleDeliver, (body) => {
    const d: Delivered = { src: body[0], farm: body[1] | (body[2] << 8), type: body[3], payload: body.subarray(MSG_HEADER) };
    if (d.type === Payload.MuleFunc) { void runMuleFunc(d); return; }
    if (d.src !== Source.Own) groupReceived++;
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i];
      if (accepts(w, d)) {
        waiters.splice(i, 1);
        if (!waiters.length) noWaiters();
        clearTimeout(w.timer);
        w.resolve(take(d));
        return;
      }
    }
    // Kept until a getMessage() takes it: a view into the read chunk, which
    // the transport never reuses (it pins the chunk until then).
    buffer.push(d);
  });
  grant({ own: OWN_WINDOW, func: FUNC_WINDOW });
  openOwnInbox(c, serveDirect);
}

/** Direct messages arrived (or may have): hand them to waiting getMessage() calls. */
function serveDirect() {
  for (;;) {
    for (let i = 0; i < waiters.length;) {
      const w = waiters[i];
      if (w.farmOnly) { i++; continue; }
      const m = takeDirect();
      if (m === null) break;
      waiters.splice(i, 1);
      clearTimeout(w.timer);
      handedOut.push(DIRECT);
      countReceived();
      w.resolve(m);
    }
    if (!waiters.length) { noWaiters(); return; }
    if (!waiters.some((w) => !w.farmOnly) || sleepDirect()) return;
  }
}

function noWaiters() {
  keepAlive.release("mule-recv");
  wakeDirect();
}

function countReceived() {
  ctx.counters.messages_received = ((ctx.counters.messages_received as number) ?? 0) + 1;
}

function accepts(w: Waiter, d: Delivered): boolean {
  if (w.farmOnly) return d.src === Source.Farm;
  return w.farms || d.src !== Source.Farm;
}

function take(d: Delivered): Message {
  handedOut.push(d.src);
  countReceived();
  return tracing ? tracing.muleReceived(decodePayload(d.type, d.payload)) : decodePayload(d.type, d.payload);
}

/** Accumulates acks and credit; one MuleCredit frame per turn. */
function grant(g: { consumed?: number; own?: number; group?: number; func?: number }) {
  pending.consumed += g.consumed ?? 0;
  pending.own += g.own ?? 0;
  pending.group += g.group ?? 0;
  pending.func += g.func ?? 0;
  // A busy consumer hands credit back in slices, so the master refills the
  // pipe while this mule is still working through what it has.
  if (pending.consumed >= 256) { sendCredit(); ctx.channel?.flush(); return; }
  if (creditScheduled) return;
  creditScheduled = true;
  // Not a microtask: a consumer looping on getMessage() would send one frame per message.
  setImmediate(sendCredit);
}

function sendCredit() {
  creditScheduled = false;
  if (!pending.consumed && !pending.own && !pending.group && !pending.func) return;
  ctx.channel?.send(Kind.MuleCredit, credit(pending.consumed, pending.own, pending.group, pending.func));
  pending.consumed = pending.own = pending.group = pending.func = 0;
}

/** The oldest message handed out is finished: forget it, and make room for one more of its kind. */
function finishOne() {
  const src = handedOut.shift();
  if (src === undefined) return;
  if (src === DIRECT) { finishDirect(); return; }
  grant({ consumed: 1, own: src === Source.Own ? 1 : 0 });
}

export interface GetMessageOptions {
  /** Run this mule's signal handlers while waiting (default true; they run whenever the mule is idle). */
  signals?: boolean;
  /** Also take messages sent to this mule's farms (default true, as uWSGI). */
  farms?: boolean;
  /** Seconds to wait; resolves null on timeout. Default: forever. */
  timeout?: number;
  /** Only farm messages (farm_get_msg). */
  farmOnly?: boolean;
}

/**
 * Waits for the next message for this mule. The previous message handed to
 * this mule counts as finished when the next call is made (so a mule killed
 * mid-message gets it redelivered: at-least-once).
 */
export function getMessage(opts: GetMessageOptions = {}): Promise<Message | null> {
  if (ctx.role !== "mule") throw new NotInMule("getMessage() only works inside a mule");
  finishOne();
  if (tracing) tracing.muleDone();
  const w: Waiter = { farms: opts.farms ?? true, farmOnly: opts.farmOnly ?? false, resolve: () => {} };
  // Reading means this mule can take shared/farm messages: keep its prefetch topped up.
  const outstanding = groupGranted - groupReceived;
  if (outstanding < GROUP_WINDOW / 2) {
    groupGranted += GROUP_WINDOW - outstanding;
    grant({ group: GROUP_WINDOW - outstanding });
  }
  // A mule's own messages come first (uWSGI's order): its direct rings, then what the master pushed.
  if (!w.farmOnly) {
    const m = takeDirect();
    if (m !== null) {
      handedOut.push(DIRECT);
      countReceived();
      return Promise.resolve(m);
    }
  }
  const d = buffer.peek();
  // FIFO: only the oldest buffered message can be taken.
  if (d && accepts(w, d)) {
    buffer.shift();
    return Promise.resolve(take(d));
  }
  return new Promise<Message | null>((resolve) => {
    w.resolve = resolve;
    if (opts.timeout !== undefined && opts.timeout >= 0) {
      w.timer = setTimeout(() => {
        const i = waiters.indexOf(w);
        if (i >= 0) waiters.splice(i, 1);
        if (!waiters.length) noWaiters();
        resolve(null);
      }, opts.timeout * 1000);
    }
    waiters.push(w);
    keepAlive.hold("mule-recv");
    // Data may have landed between takeDirect() above and the sleep flag going up.
    if (!w.farmOnly && !sleepDirect()) serveDirect();
  });
}

/** Marks everything handed out as finished (graceful stop). */
export function finishAll(): void {
  while (handedOut.length) finishOne();
}

// ---------------------------------------------------------------- mulefunc

const funcs = new Map<string, (...args: any[]) => unknown>();
const nameCount = new Map<string, number>();

/** Registers fn under a key every process derives the same way (name + order). */
export function registerMuleFunc(fn: (...args: any[]) => unknown, name?: string): string {
  const base = name ?? (fn.name || "anonymous");
  const n = nameCount.get(base) ?? 0;
  nameCount.set(base, n + 1);
  const key = n ? `${base}#${n}` : base;
  funcs.set(key, fn);
  return key;
}

export function callMuleFunc(to: number | string | undefined, key: string, args: unknown[]): Promise<void> {
  return sendMessage(to, pack(tracing ? [key, args, tracing.mulefuncCall(to, key)] : [key, args]), Payload.MuleFunc);
}

async function runMuleFunc(d: Delivered) {
  try {
    const [key, args, tp] = unpack(d.payload) as [string, unknown[], string?];
    const fn = funcs.get(key);
    if (!fn) log(`mulefunc "${key}" is not registered in mule ${ctx.id}: load its module with --import`);
    else await (tracing ? tracing.mulefuncRun(key, tp, () => fn(...args)) : fn(...args));
  } catch (e) {
    log(`mulefunc failed: ${oneLine(e)}`);
  } finally {
    grant({ consumed: 1, own: d.src === Source.Own ? 1 : 0, func: d.src === Source.Own ? 0 : 1 });
  }
}
