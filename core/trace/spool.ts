// spool() → the task's run. The producer's span id travels in the task
// record's `trace` field (a W3C traceparent), so the run, in a spooler
// process (or another instance reading the same store), is its child. A
// task queued again after a retry keeps the field: every run of it is a
// child of the one spool() call.
import { context, SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import { oneLine } from "../errors.ts";
import { contextOf, traceparentOf } from "./traceparent.ts";

export function tracedSpool<T extends { name: string; trace?: string }>(tracer: Tracer, dir: string, task: T, enqueue: (dir: string, task: T) => Promise<string>): Promise<string> {
  const span = tracer.startSpan(`spool ${task.name || "task"}`, {
    kind: SpanKind.PRODUCER,
    attributes: { "messaging.system": "mulefarm", "messaging.operation.type": "send", "messaging.destination.name": dir, "mulefarm.task.name": task.name },
  });
  return enqueue(dir, { ...task, trace: traceparentOf(span) }).then(
    (id) => { span.setAttribute("messaging.message.id", id); span.end(); return id; },
    (e) => { span.setStatus({ code: SpanStatusCode.ERROR, message: oneLine(e) }); span.end(); throw e; },
  );
}

/** What the spooler's run of a task returned (run.ts's Outcome, read loosely: this file does not import the spooler). */
interface OutcomeLike { kind?: string; error?: string }

export function tracedRun<R>(tracer: Tracer, task: { name: string; trace?: string; attempts: number }, id: string, dir: string, run: () => Promise<R>): Promise<R> {
  const parent = contextOf(task.trace);
  const span = tracer.startSpan(`run ${task.name || "task"}`, {
    kind: SpanKind.CONSUMER,
    attributes: {
      "messaging.system": "mulefarm", "messaging.operation.type": "process", "messaging.destination.name": dir,
      "messaging.message.id": id, "mulefarm.task.name": task.name, "mulefarm.task.attempt": task.attempts + 1,
    },
  }, parent);
  return context.with(trace.setSpan(parent, span), run).then(
    (r) => {
      const o = r as OutcomeLike;
      if (o && typeof o.kind === "string") {
        span.setAttribute("mulefarm.task.outcome", o.kind);
        if (o.error) span.setStatus({ code: SpanStatusCode.ERROR, message: o.error });
      }
      span.end();
      return r;
    },
    (e) => { span.setStatus({ code: SpanStatusCode.ERROR, message: oneLine(e) }); span.end(); throw e; },
  );
}
