// How a mule message carries its sender's trace context: only while tracing
// is on, the payload is prefixed with "\0mft" and the 55-character W3C
// traceparent; the receiving side strips it before user code sees the
// message. The payload type is not touched (the master routes by it), and
// the prefix is the same bytes whether the message travels as a string or
// as bytes, so a long string the sender turned into bytes is still found.
// With tracing off nothing is added, and nothing is looked for.

const MAGIC = "\u0000mft";
const TP_LEN = 55; // "00-" + 32 + "-" + 16 + "-" + 2
export const ENVELOPE_LEN = MAGIC.length + TP_LEN;
const TP_RE = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const enc = new TextEncoder();
const dec = new TextDecoder();

/** The message with `traceparent` in front (a traceparent that is not 55 characters leaves it alone). */
export function wrap<M extends string | Uint8Array>(msg: M, traceparent: string): M {
  if (traceparent.length !== TP_LEN) return msg;
  if (typeof msg === "string") return (MAGIC + traceparent + msg) as M;
  const out = new Uint8Array(ENVELOPE_LEN + msg.length);
  out.set(enc.encode(MAGIC + traceparent), 0);
  out.set(msg, ENVELOPE_LEN);
  return out as M;
}

/** Splits an enveloped message into its traceparent and the user's message; null when it carries none. */
export function unwrap<M extends string | Uint8Array>(msg: M): { traceparent: string; msg: M } | null {
  if (msg.length < ENVELOPE_LEN) return null;
  if (typeof msg === "string") {
    if (!msg.startsWith(MAGIC)) return null;
    const tp = msg.slice(MAGIC.length, ENVELOPE_LEN);
    return TP_RE.test(tp) ? { traceparent: tp, msg: msg.slice(ENVELOPE_LEN) as M } : null;
  }
  const b = msg as Uint8Array;
  for (let i = 0; i < MAGIC.length; i++) if (b[i] !== MAGIC.charCodeAt(i)) return null;
  const tp = dec.decode(b.subarray(MAGIC.length, ENVELOPE_LEN));
  return TP_RE.test(tp) ? { traceparent: tp, msg: b.slice(ENVELOPE_LEN) as M } : null;
}
