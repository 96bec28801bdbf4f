import { Buffer } from "node:buffer";
import { putU32le } from "../base/bytes.ts";

// Binary bodies of the mule message frames (hot path: no msgpack).
//   MuleSend    sender → master: [u8 target][u16 index][u8 type][payload]
//   MuleDeliver master → mule:   [u8 source][u16 farm index][u8 type][payload]
//   MuleSendAck master → sender: [u32 accepted]
//   MuleCredit  mule → master:   [u32 consumed][u32 own][u32 group][u32 func] (credit added)

export const Target = { Shared: 0, Mule: 1, Farm: 2 } as const;
export const Source = { Own: 0, Shared: 1, Farm: 2 } as const;
export const Payload = { Bytes: 0, String: 1, MuleFunc: 2 } as const;
export const MSG_HEADER = 4;

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

// Reused: frames are copied into the channel's buffer as they are queued.
const creditBuf = new Uint8Array(16);
const creditView = new DataView(creditBuf.buffer);

export function credit(consumed: number, own: number, group: number, func: number): Uint8Array {
  creditView.setUint32(0, consumed, true);
  creditView.setUint32(4, own, true);
  creditView.setUint32(8, group, true);
  creditView.setUint32(12, func, true);
  return creditBuf;
}
