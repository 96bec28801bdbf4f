import assert from "node:assert/strict";
import { ROOT_CONTEXT, trace, TraceFlags } from "@opentelemetry/api";
import { test } from "../../harness.ts";
import { contextOf, traceparentOf } from "../../../core/trace/traceparent.ts";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736", SPAN = "00f067aa0ba902b7";

test("a traceparent round-trips through a remote span context, and a malformed or all-zero one gives the root context", () => {
  const c = trace.getSpanContext(contextOf(`00-${TRACE}-${SPAN}-01`))!;
  assert.deepEqual(c, { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  assert.equal(trace.getSpanContext(contextOf(`00-${TRACE}-${SPAN}-00`))!.traceFlags, TraceFlags.NONE, "not sampled stays not sampled");
  assert.equal(traceparentOf(trace.wrapSpanContext(c)), `00-${TRACE}-${SPAN}-01`);
  for (const bad of [undefined, 5, "", "00-abc", `01-${TRACE}-${SPAN}-01x`, `00-${"0".repeat(32)}-${SPAN}-01`, `00-${TRACE}-${"0".repeat(16)}-01`, `00-${TRACE.toUpperCase()}-${SPAN}-01`]) {
    assert.equal(contextOf(bad), ROOT_CONTEXT, `${JSON.stringify(bad)} gives the root`);
  }
});
