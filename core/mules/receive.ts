// Receiving mule messages, in a mule: its own direct rings (reader.ts) first,
// then MuleDeliver frames the master pushed within the windows this mule
// granted, served to getMessage() calls. A message counts as finished when the
// next getMessage() is called: only then is it committed (rings) or
// acknowledged with credit (master), so a mule that dies mid-message gets it
// again in its successor (at-least-once).
import { NotInMule } from "../errors.ts";
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import { ctx } from "../runtime/context.ts";
import { keepAlive } from "../runtime/keepalive.ts";
import { Deque } from "../base/deque.ts";
import { runMuleFunc } from "./mulefunc.ts";
import { finishDirect, openOwnInbox, sleepDirect, takeDirect, wakeDirect } from "./reader.ts";
import type { Message } from "./send.ts";
import { FUNC_WINDOW, GROUP_WINDOW, OWN_WINDOW, Payload, Source, credit, decodePayload, readDeliver, type Delivered } from "./wire.ts";
import { tracing } from "../trace/state.ts";

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
    const d = readDeliver(body);
    if (d.type === Payload.MuleFunc) {
      const own = d.src === Source.Own ? 1 : 0;
      void runMuleFunc(d.payload).finally(() => grant({ consumed: 1, own, func: 1 - own }));
      return;
    }
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
