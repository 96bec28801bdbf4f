// Bun: Buffer's own utf8Write/utf8Slice on a plain Uint8Array (no Buffer is made).
import { Buffer } from "node:buffer";

const B = Buffer.prototype as any;
const write = B.utf8Write as (this: Uint8Array, s: string, off: number, max: number) => number;
const slice = B.utf8Slice as (this: Uint8Array, start: number, end: number) => string;

export const writeUtf8 = (buf: Uint8Array, s: string, off: number, max: number): number => write.call(buf, s, off, max);
export const readUtf8 = (buf: Uint8Array, start: number, end: number): string => slice.call(buf, start, end);
