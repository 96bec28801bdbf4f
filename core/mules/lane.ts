// The sender's side of direct mule messages: a message to one programmed mule
// (`new Mule(id).send`, `mule_msg(msg, id)`) is written straight into a ring
// of that mule's inbox in shared memory (one ring per sending process, kept
// for its life). The master only relays wake-ups: MuleWake when the mule
// sleeps waiting for data, MuleSpace when this sender waits for room. The
// mule's side is reader.ts.
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import { myPid } from "../base/process.ts";
import { log } from "../log.ts";
import { childSetup, ctx } from "../runtime/context.ts";
import { Backlog } from "./backlog.ts";
import { Inbox, type InboxInfo } from "./inbox.ts";
import type { Ring } from "./ring.ts";
import { readMuleId, u16 } from "./wire.ts";

/** What the master puts in the Init frame: the inbox of every programmed mule, by id. */
export interface DirectInit { inboxes: Record<number, InboxInfo> }

const RESOLVED: Promise<void> = Promise.resolve();

interface Held { type: number; msg: string | Uint8Array }

export class Lane {
  private held: Backlog<Held>;
  constructor(readonly muleId: number, private inbox: Inbox, private ring: Ring, private c: Channel) {
    this.held = new Backlog(`mule-send-${muleId}`, () => `mule ${muleId}`);
  }

  send(type: number, msg: string | Uint8Array): Promise<void> {
    if (!this.held.length && this.ring.tryWrite(type, msg)) {
      this.published();
      return RESOLVED;
    }
    // No room: keep it, in order, until the mule makes room. Bytes are
    // copied: the caller may reuse its array once send() returned.
    const p = this.held.hold({ type, msg: typeof msg === "string" ? msg : msg.slice() });
    if (this.held.length === 1) this.drain();
    return p;
  }

  /** Writes what it holds while there is room; otherwise asks the mule to say when there is. */
  drain(): void {
    const wrote = this.held.drain((h) => {
      if (this.ring.tryWrite(h.type, h.msg)) return true;
      this.ring.wantSpace();
      return this.ring.tryWrite(h.type, h.msg); // room made just before the flag went up?
    });
    if (wrote) this.published();
  }

  private published(): void {
    if (!this.inbox.shouldWake()) return;
    this.c.send(Kind.MuleWake, u16(this.muleId));
    this.c.flush();
  }
}

const lanes = new Map<number, Lane | null>();
const inboxes = new Map<number, Inbox>();

/** Mule `id`'s inbox, opened once per process (null: it has none). */
export function inboxOf(id: number): Inbox | null {
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
  c.on(Kind.MuleSpace, (body) => lanes.get(readMuleId(body))?.drain());
});
