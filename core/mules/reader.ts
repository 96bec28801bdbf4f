// The mule's side of direct mule messages: it reads every ring of its own
// inbox (lane.ts is the senders' side), taking turns between senders, and
// commits a record once user code finished it, so a successor restarts at the
// first unfinished one (at-least-once).
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import { myPid } from "../base/process.ts";
import { log } from "../log.ts";
import { ctx } from "../runtime/context.ts";
import { Deque } from "../base/deque.ts";
import type { Inbox } from "./inbox.ts";
import { inboxOf } from "./lane.ts";
import { PARKED } from "./ring.ts";
import { Payload, spaceBody } from "./wire.ts";
import { unrefTimer } from "../base/timers.ts";
import { tracing } from "../trace/state.ts";

let own: Inbox | null = null;
let cur = 0; // ring being read: stay on one sender's ring for a while, then give the next a turn
let streak = 0;
// Per message handed out: ring * 2^32 + the position after it (what to commit
// when it is finished); negative (-1 - that) for a parked record skipped after
// it, committed as soon as what was handed out before it is finished.
const toCommit = new Deque<number>();
let onData: () => void = () => {};
let pollTimer: ReturnType<typeof setInterval> | undefined;

/**
 * Opens this mule's own inbox and takes its reading side (waiting, if the
 * mule's predecessor is still stopping). `data` is called when a sender
 * says there is something to read.
 */
export function openOwnInbox(c: Channel, data: () => void): void {
  const ib = inboxOf(ctx.id);
  if (!ib) return;
  onData = data;
  c.on(Kind.MuleWake, () => { ib.awake(); onData(); });
  const claim = () => {
    if (!ib.claimConsumer(myPid)) { setTimeout(claim, 5); return; }
    own = ib;
    // A sender may have been waiting for room while no mule read.
    ib.rings.forEach((r, i) => { if (r.producerWaiting()) space(i); });
    onData();
  };
  claim();
}

/** Takes the next direct message (own messages come first, as in uWSGI), or null. */
export function takeDirect(): string | Uint8Array | null {
  const ib = own;
  if (!ib) return null;
  const rings = ib.rings, k = rings.length;
  for (let n = 0; n < k; n++) { // from the ring last read: one sender's batch is warm
    const i = (cur + n) % k;
    const r = rings[i];
    if (!r.next()) continue;
    if (r.type === PARKED) { // poison: the master has a copy (core/mules/parked.ts)
      if (!toCommit.length) commitAt(i * 0x100000000 + r.read);
      else toCommit.push(-1 - (i * 0x100000000 + r.read));
      n--; // this ring may hold more
      continue;
    }
    if (i !== cur) { cur = i; streak = 0; } else if (++streak >= 256) { cur = (i + 1) % k; streak = 0; }
    toCommit.push(i * 0x100000000 + r.read);
    const m = r.type === Payload.String ? r.text() : r.bytes();
    return tracing ? tracing.muleReceived(m) : m;
  }
  cur = (cur + 1) % k;
  return null;
}

/** The oldest direct message handed out is finished: the sender may reuse its bytes. */
export function finishDirect(): void {
  const x = toCommit.shift();
  if (x === undefined || !own) return;
  commitAt(x);
  while ((toCommit.peek() ?? 0) < 0) commitAt(-1 - toCommit.shift()!);
}

function commitAt(x: number): void {
  const i = Math.floor(x / 0x100000000);
  if (own!.rings[i].commit(x % 0x100000000)) space(i);
}

function space(ring: number): void {
  const c = ctx.channel;
  if (!c) return;
  c.send(Kind.MuleSpace, spaceBody(ctx.id, ring));
  c.flush();
}

/**
 * Called when a getMessage() is about to wait: tells senders to wake this
 * mule. False when data arrived meanwhile (serve it instead of waiting).
 */
export function sleepDirect(): boolean {
  const ib = own;
  if (!ib) return true;
  ib.sleep();
  for (const r of ib.rings) if (r.hasData()) { ib.awake(); return false; }
  // Belt and braces: a wake-up that never came costs a short delay, not a hang.
  pollTimer ??= setInterval(() => {
    if (!own?.rings.some((r) => r.hasData())) return;
    // Still "sleeping" means no sender saw the flag: a wake-up was lost (a
    // "woken" one may just be in flight). Either way, read now.
    if (own.sleeping) log("direct ring had data but no wake-up came: reading it now");
    own.awake();
    onData();
  }, 250);
  unrefTimer(pollTimer);
  return true;
}

/** No getMessage() waits any more. */
export function wakeDirect(): void {
  own?.awake();
  if (pollTimer) { clearInterval(pollTimer); pollTimer = undefined; }
}
