// A span's W3C traceparent as one string, and back: what a task record and
// a mule message carry (tracestate and baggage are not carried: one string
// keeps the task format and the message envelope fixed-size).
import { ROOT_CONTEXT, trace, TraceFlags, type Context, type Span } from "@opentelemetry/api";

const TP_RE = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function traceparentOf(span: Span): string {
  const c = span.spanContext();
  return `00-${c.traceId}-${c.spanId}-${(c.traceFlags & 0xff).toString(16).padStart(2, "0")}`;
}

/** The context whose remote parent `tp` names; the root context when `tp` is absent or malformed. */
export function contextOf(tp: unknown): Context {
  if (typeof tp !== "string") return ROOT_CONTEXT;
  const m = TP_RE.exec(tp);
  if (!m || /^0+$/.test(m[1]) || /^0+$/.test(m[2])) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: m[1], spanId: m[2], traceFlags: parseInt(m[3], 16) & TraceFlags.SAMPLED, isRemote: true });
}
