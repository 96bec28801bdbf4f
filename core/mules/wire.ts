import { Buffer } from "node:buffer";
import { putU32le, u16le, u32le } from "../base/bytes.ts";

// Every frame body of the mule engine, both directions (hot path: no msgpack).
//   MuleSend        sender → master: [u8 target][u16 index][u8 type][payload]
//   MuleDeliver     master → mule:   [u8 source][u16 farm index][u8 type][payload]
//   MuleSendAck     master → sender: [u32 accepted]
//   MuleCredit      mule → master:   [u32 consumed][u32 own][u32 group][u32 func] (credit added)
//   MuleHostDeliver master → light-mule host: [u16 mule id] + MuleDeliver body
//   MuleHostCredit  light-mule host → master: [u16 mule id] + MuleCredit body
//   MuleWake        sender → master → mule: [u16 mule id] ("your ring has data")
//   MuleSpace       mule → master: [u16 mule id][u16 ring]; master → sender: [u16 mule id] ("room again")

export const Target = { Shared: 0, Mule: 1, Farm: 2 } as const;
export const Source = { Own: 0, Shared: 1, Farm: 2 } as const;
export const Payload = { Bytes: 0, String: 1, MuleFunc: 2 } as const;
export const MSG_HEADER = 4;

// Receive windows a mule (or a light mule's host) grants the master.
export const OWN_WINDOW = 4096; //  own-queue messages the master may push ahead
export const GROUP_WINDOW = 128; // shared/farm messages prefetched while the mule reads
export const FUNC_WINDOW = 64; //   offloaded functions queued ahead

const enc = new TextEncoder();
const dec = new TextDecoder();

export function encodeString(s: string): Uint8Array {
  return enc.encode(s);
}

// Ring codecs, picked per runtime in core/adapter/utf8.ts.
export { readUtf8, writeUtf8 } from "../adapter/utf8.ts";

/** UTF-8 size of `s`. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

export function decodePayload(type: number, bytes: Uint8Array): string | Uint8Array {
  return type === Payload.String ? dec.decode(bytes) : bytes.slice();
}

export function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  putU32le(b, 0, n);
  return b;
}

// --------------------------------------------------------- MuleSend head

/** Writes a MuleSend header into `head` (reused by the caller: the channel copies frames as queued). */
export function putSendHead(head: Uint8Array, target: number, index: number, type: number): void {
  head[0] = target;
  head[1] = index & 0xff;
  head[2] = index >> 8;
  head[3] = type;
}

// Read field by field: the master reads one per message, without allocating.
export const sendTarget = (b: Uint8Array): number => b[0];
export const sendIndex = (b: Uint8Array): number => u16le(b, 1);
export const sendType = (b: Uint8Array): number => b[3];
export const sendPayload = (b: Uint8Array): Uint8Array => b.subarray(MSG_HEADER);

// ----------------------------------------------------- MuleDeliver body

export interface Delivered { src: number; farm: number; type: number; payload: Uint8Array }

/** A MuleDeliver body starting at `off` (after a light-mule host's id, 2). */
export function readDeliver(b: Uint8Array, off = 0): Delivered {
  return { src: b[off], farm: u16le(b, off + 1), type: b[off + 3], payload: b.subarray(off + MSG_HEADER) };
}

/** Writes a MuleDeliver body (with the light mule's id before it when `light`) at `off`; `deliverSize` gives its length. */
export function putDeliver(buf: Uint8Array, off: number, m: Delivered, lightId?: number): void {
  if (lightId !== undefined) { buf[off] = lightId & 0xff; buf[off + 1] = lightId >> 8; off += 2; }
  buf[off] = m.src;
  buf[off + 1] = m.farm & 0xff;
  buf[off + 2] = m.farm >> 8;
  buf[off + 3] = m.type;
  buf.set(m.payload, off + MSG_HEADER);
}

export const deliverSize = (m: Delivered, light: boolean): number => (light ? 2 : 0) + MSG_HEADER + m.payload.length;

// ------------------------------------------------- MuleCredit / MuleHostCredit

export interface Credit { consumed: number; own: number; group: number; func: number }

// Reused: frames are copied into the channel's buffer as they are queued.
const creditBuf = new Uint8Array(18);

/** A MuleCredit body, or a MuleHostCredit one when `lightId` is given. */
export function credit(consumed: number, own: number, group: number, func: number, lightId?: number): Uint8Array {
  const off = lightId === undefined ? 0 : 2;
  if (off) { creditBuf[0] = lightId! & 0xff; creditBuf[1] = lightId! >> 8; }
  putU32le(creditBuf, off, consumed);
  putU32le(creditBuf, off + 4, own);
  putU32le(creditBuf, off + 8, group);
  putU32le(creditBuf, off + 12, func);
  return creditBuf.subarray(0, off + 16);
}

/** Reads a MuleCredit body at `off` (2 for MuleHostCredit, after the mule id). */
export const readCredit = (b: Uint8Array, off = 0): Credit =>
  ({ consumed: u32le(b, off), own: u32le(b, off + 4), group: u32le(b, off + 8), func: u32le(b, off + 12) });

// ------------------------------------------------------ MuleWake / MuleSpace

export const u16 = (n: number): Uint8Array => Uint8Array.of(n & 0xff, n >> 8);
export const readMuleId = (b: Uint8Array): number => u16le(b, 0);
export const spaceBody = (muleId: number, ring: number): Uint8Array => Uint8Array.of(muleId & 0xff, muleId >> 8, ring & 0xff, ring >> 8);
export const readSpace = (b: Uint8Array): { muleId: number; ring: number } => ({ muleId: u16le(b, 0), ring: u16le(b, 2) });
