import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { ENVELOPE_LEN, unwrap, wrap } from "../../../core/trace/envelope.ts";

const TP = `00-${"4bf92f3577b34da6a3ce929d0e0e4736"}-${"00f067aa0ba902b7"}-01`;

test("a mule message envelope round-trips strings and bytes, is the same bytes either way, and plain messages pass untouched", () => {
  const s = wrap("héllo", TP);
  assert.equal(s.length, ENVELOPE_LEN + 5);
  assert.deepEqual(unwrap(s), { traceparent: TP, msg: "héllo" });

  const bytes = new Uint8Array([0, 1, 2, 255]);
  const b = wrap(bytes, TP);
  assert.deepEqual(unwrap(b), { traceparent: TP, msg: bytes });

  // A long string the sender turned into UTF-8 bytes keeps the same prefix.
  const asBytes = new TextEncoder().encode(s);
  const u = unwrap(asBytes)!;
  assert.equal(u.traceparent, TP);
  assert.equal(new TextDecoder().decode(u.msg), "héllo");

  // Nothing to strip: messages from a process that does not trace, empty ones, look-alikes.
  for (const m of ["", "hello", "\u0000mft", "\u0000mft" + "x".repeat(60), new Uint8Array(0), new Uint8Array(70)]) assert.equal(unwrap(m), null);
  // A malformed traceparent is not sent at all.
  assert.equal(wrap("x", "00-abc"), "x");
});
