// Mule messages and offloaded calls. A send is a PRODUCER span whose
// traceparent rides in the message's envelope (envelope.ts); the mule that
// takes the message opens a CONSUMER span, child of the send, and ends it
// when it asks for its next message (the message is handled by then: the
// same point at which it counts as finished for redelivery). An offloaded
// call (mulefunc / Mule.offload) carries the traceparent as a third element
// of its msgpack array; its run in the mule is the CONSUMER span.
import { context, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";
import { oneLine } from "../errors.ts";
import { ctx } from "../runtime/context.ts";
import { unwrap, wrap } from "./envelope.ts";
import type { TracedMessage } from "./state.ts";
import { contextOf, traceparentOf } from "./traceparent.ts";

function destination(to: number | string | undefined): string {
  return to === undefined || to === 0 || to === "" ? "shared" : typeof to === "number" ? `mule${to}` : `farm:${to}`;
}

export class MuleSpans {
  private open: Span | null = null;

  constructor(private tracer: Tracer) {}

  send(to: number | string | undefined, msg: TracedMessage): TracedMessage {
    const dest = destination(to);
    const span = this.tracer.startSpan(`send ${dest}`, {
      kind: SpanKind.PRODUCER,
      attributes: { "messaging.system": "mulefarm", "messaging.operation.type": "send", "messaging.destination.name": dest, "messaging.message.body.size": msg.length },
    });
    const out = wrap(msg, traceparentOf(span));
    span.end();
    return out;
  }

  /**
   * `muleId`: the mule that takes it (a light mule's own id in its host
   * process). A light mule's host only queues the message into its sandbox,
   * many mules at once: there the span marks the delivery and ends at once.
   */
  received<M extends TracedMessage>(msg: M, muleId: number): M {
    if (ctx.role === "mule") this.done();
    const u = unwrap(msg);
    if (!u) return msg; // sent by a process that does not trace
    const span = this.tracer.startSpan(`receive mule${muleId}`, {
      kind: SpanKind.CONSUMER,
      attributes: { "messaging.system": "mulefarm", "messaging.operation.type": "process", "messaging.destination.name": `mule${muleId}`, "messaging.message.body.size": u.msg.length },
    }, contextOf(u.traceparent));
    if (ctx.role === "mule") this.open = span;
    else span.end();
    return u.msg;
  }

  done(): void {
    this.open?.end();
    this.open = null;
  }

  call(to: number | string | undefined, key: string): string {
    const dest = destination(to);
    const span = this.tracer.startSpan(`offload ${key}`, {
      kind: SpanKind.PRODUCER,
      attributes: { "messaging.system": "mulefarm", "messaging.operation.type": "send", "messaging.destination.name": dest, "mulefarm.mulefunc": key },
    });
    span.end();
    return traceparentOf(span);
  }

  async run<R>(key: string, tp: unknown, fn: () => R): Promise<Awaited<R>> {
    const parent = contextOf(tp);
    const span = this.tracer.startSpan(`mulefunc ${key}`, {
      kind: SpanKind.CONSUMER,
      attributes: { "messaging.system": "mulefarm", "messaging.operation.type": "process", "messaging.destination.name": `mule${ctx.id}`, "mulefarm.mulefunc": key },
    }, parent);
    try {
      return await context.with(trace.setSpan(parent, span), fn);
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: oneLine(e) });
      throw e;
    } finally {
      span.end();
    }
  }
}
