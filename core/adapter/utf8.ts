// The UTF-8 copies into and out of a mule ring, picked per runtime: Bun's
// Buffer methods are its fastest UTF-8 paths; Deno's node:buffer is slower
// there than TextEncoder/Decoder.
import { runtimeName } from "./runtime.ts";
import * as bun from "./bun/utf8.ts";
import * as portable from "./portable/utf8.ts";

const impl = runtimeName === "bun" ? bun : portable;

/** Encodes `s` into `buf` at `off` (at most `max` bytes); returns the bytes written. */
export const writeUtf8: (buf: Uint8Array, s: string, off: number, max: number) => number = impl.writeUtf8;

/** Decodes `buf[start, end)` as UTF-8. */
export const readUtf8: (buf: Uint8Array, start: number, end: number) => string = impl.readUtf8;
