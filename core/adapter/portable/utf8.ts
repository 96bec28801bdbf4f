// Deno and Node: TextEncoder.encodeInto and TextDecoder.
const enc = new TextEncoder();
const dec = new TextDecoder();

export const writeUtf8 = (buf: Uint8Array, s: string, off: number, max: number): number => enc.encodeInto(s, buf.subarray(off, off + max)).written!;
export const readUtf8 = (buf: Uint8Array, start: number, end: number): string => dec.decode(buf.subarray(start, end));
