// The child side of direct mule messages: a message to one programmed mule
// (`new Mule(id).send`, `mule_msg(msg, id)`) is written straight into a ring
// of that mule's inbox in shared memory. The master only relays wake-ups:
// MuleWake when the mule sleeps waiting for data, MuleSpace when a sender
// waits for room. Farm, shared-queue and mulefunc messages keep going through
// the master (core/mules/master.ts), which balances them across mules.
import { QueueFull } from "../errors.ts";
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import { myPid } from "../base/process.ts";
import { log } from "../log.ts";
import { childSetup, ctx } from "../runtime/context.ts";
import { keepAlive } from "../runtime/keepalive.ts";
import { Deque } from "../base/deque.ts";
import { Inbox, type InboxInfo } from "./inbox.ts";
import type { Ring } from "./ring.ts";
import { Payload } from "./wire.ts";
import { tracing } from "../trace/state.ts";

/** What the master puts in the Init frame: the inbox of every programmed mule, by id. */
export interface DirectInit { inboxes: Record<number, InboxInfo> }

const RESOLVED: Promise<void> = Promise.resolve();
const u16 = (n: number) => new Uint8Array([n & 0xff, n >> 8]);

// ---------------------------------------------------------------- senders

interface Held { type: number; msg: string | Uint8Array; resolve: () => void; reject: (e: Error) => void; timer?: ReturnType<typeof setTimeout> }

class Lane {
  private held = new Deque<Held>();
  constructor(readonly muleId: number, private inbox: Inbox, private ring: Ring, private c: Channel) {}

  send(type: number, msg: string | Uint8Array): Promise<void> {
    if (!this.held.length && this.ring.tryWrite(type, msg)) {
      this.published();
      return RESOLVED;
    }
    // No room: keep it here, in order, until the mule makes room. Bytes are
    // copied: the caller may reuse its array once send() returned.
    return new Promise<void>((resolve, reject) => {
      const h: Held = { type, msg: typeof msg === "string" ? msg : msg.slice(), resolve, reject };
      const timeoutS = ctx.config!.muleSendTimeout;
      h.timer = setTimeout(() => {
        // Never written: refusing it loses nothing that was accepted.
        this.held.unshiftAll(this.held.drain().filter((x) => x !== h));
        if (!this.held.length) keepAlive.release(this.holdName);
        reject(new QueueFull(`mule queue for mule ${this.muleId} stayed full for ${timeoutS} s (--mule-send-timeout)`));
      }, timeoutS * 1000);
      this.held.push(h);
      keepAlive.hold(this.holdName);
      if (this.held.length === 1) this.drain();
    });
  }

  /** Writes what it holds while there is room; otherwise asks the mule to say when there is. */
  drain(): void {
    let wrote = false;
    for (;;) {
      const h = this.held.peek();
      if (!h) break;
      if (!this.ring.tryWrite(h.type, h.msg)) {
        this.ring.wantSpace();
        if (!this.ring.tryWrite(h.type, h.msg)) break; // room made just before the flag went up?
      }
      this.held.shift();
      clearTimeout(h.timer);
      h.resolve();
      wrote = true;
    }
    if (wrote) this.published();
    if (!this.held.length) keepAlive.release(this.holdName);
  }

  private published(): void {
    if (!this.inbox.shouldWake()) return;
    this.c.send(Kind.MuleWake, u16(this.muleId));
    this.c.flush();
  }

  private get holdName(): string {
    return `mule-send-${this.muleId}`;
  }
}

const lanes = new Map<number, Lane | null>();
const inboxes = new Map<number, Inbox>();

function inboxOf(id: number): Inbox | null {
  let ib = inboxes.get(id);
  if (ib) return ib;
  const info = (ctx.init.direct as DirectInit | undefined)?.inboxes[id];
  if (!info) return null;
  ib = Inbox.open(info);
  inboxes.set(id, ib);
  return ib;
}

/** The lane to mule `id` if one was made already (the hot path's shortcut). */
export function knownLane(id: number): Lane | null | undefined {
  return lanes.get(id);
}

/**
 * This process's lane to mule `id`, or null when its messages go through the
 * master (a sandboxed mule, no shared memory, or every ring taken). Decided
 * once per target and kept, so one sender's messages to a mule stay in order.
 */
export function laneTo(id: number, c: Channel): Lane | null {
  const known = lanes.get(id);
  if (known !== undefined) return known;
  let lane: Lane | null = null;
  try {
    const ib = inboxOf(id);
    const ring = ib?.claimRing(myPid);
    if (ib && ring) lane = new Lane(id, ib, ring, c);
    else if (ib) log(`every direct ring of mule ${id} is taken: this process's messages to it go through the master`);
  } catch (e) {
    log(`direct messages to mule ${id} unavailable (${(e as Error).message}): they go through the master`);
  }
  lanes.set(id, lane);
  return lane;
}

childSetup.push((c: Channel) => {
  c.on(Kind.MuleSpace, (body) => lanes.get(body[0] | (body[1] << 8))?.drain());
});

// ------------------------------------------------------------------ mule

let own: Inbox | null = null;
let cur = 0; // ring being read: stay on one sender's ring for a while, then give the next a turn
let streak = 0;
// Per message handed out: ring * 2^32 + the position after it (what to commit when it is finished).
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
  const i = Math.floor(x / 0x100000000);
  if (own.rings[i].commit(x % 0x100000000)) space(i);
}

function space(ring: number): void {
  const c = ctx.channel;
  if (!c) return;
  c.send(Kind.MuleSpace, new Uint8Array([ctx.id & 0xff, ctx.id >> 8, ring & 0xff, ring >> 8]));
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
  (pollTimer as any).unref?.();
  return true;
}

/** No getMessage() waits any more. */
export function wakeDirect(): void {
  own?.awake();
  if (pollTimer) { clearInterval(pollTimer); pollTimer = undefined; }
}
