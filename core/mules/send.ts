// Sending a mule message, from any process: validate it, then take one of
// two paths. A message for one programmed mule goes straight into that mule's
// ring (lane.ts); farm, shared-queue and mulefunc messages (or any, when the
// mule has no ring for this process) are MuleSend frames to the master, within
// a window the master acknowledges. Either way, no room means the message
// waits in this process's one backpressure queue (backlog.ts), in order, and
// send() rejects with QueueFull after --mule-send-timeout.
import { FarmNotFound, InvalidMessage, MessageTooLarge, MuleNotFound, shown } from "../errors.ts";
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import { channel, ctx, childSetup } from "../runtime/context.ts";
import { Backlog } from "./backlog.ts";
import { Deque } from "../base/deque.ts";
import { knownLane, laneTo } from "./lane.ts";
import { MSG_HEADER, Payload, Target, encodeString, putSendHead } from "./wire.ts";
import { u32le } from "../base/bytes.ts";
import { tracing } from "../trace/state.ts";

const SEND_WINDOW = 8192; // frames a sender may have unacknowledged by the master
const SEND_WINDOW_BYTES = 1 << 20; // ... and bytes: big messages must not queue megabytes in a socket

export type Message = string | Uint8Array;
const HEAD = new Uint8Array(MSG_HEADER); // reused: copied into the frame at once
const RESOLVED: Promise<void> = Promise.resolve();

interface Waiting { body: Uint8Array; to: number | string | undefined }
let unacked = 0;
let unackedBytes = 0;
const unackedSizes = new Deque<number>();
const waiting = new Backlog<Waiting>("mule-send", (w) => describeTarget(w.to));
const hasRoom = () => unacked < SEND_WINDOW && unackedBytes < SEND_WINDOW_BYTES;

childSetup.push((c: Channel) => {
  c.on(Kind.MuleSendAck, (body) => {
    const n = u32le(body, 0);
    unacked -= n;
    for (let i = 0; i < n; i++) unackedBytes -= unackedSizes.shift() ?? 0;
    waiting.drain((w) => {
      if (!hasRoom()) return false;
      write(c, w.body);
      return true;
    });
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
 * promise resolves when the message is accepted (written into the mule's
 * ring, or within the window the master acknowledges) and rejects with
 * QueueFull after --mule-send-timeout.
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
  putSendHead(head, target, index, t);
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
  return waiting.hold({ body, to });
}

function describeTarget(to: number | string | undefined): string {
  return to === undefined || to === 0 ? "the shared mule queue" : typeof to === "number" ? `mule ${to}` : `farm "${to}"`;
}
