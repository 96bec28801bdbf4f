// Signal handlers: one INTERNAL span per run, in the process that runs it.
// Handlers registered by the timer/rbtimer/cron/filemon wrappers are named
// after what raised them ("cron */5 * * * *", "timer 3s"), so a cron run is
// a span of its own; a plain signal(num) handler is "signal N". A signal
// carries no trace context (the master raises it), so each run is a root.
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Tracer } from "@opentelemetry/api";
import { oneLine } from "../errors.ts";

interface Label { name: string; attributes: Attributes }

export class SignalSpans {
  private labels = new WeakMap<(...a: any[]) => unknown, Label>();

  constructor(private tracer: Tracer) {}

  label(fn: (...a: any[]) => unknown, kind: string, params: any): void {
    const p = params ?? {};
    let name = kind;
    const attributes: Attributes = { "mulefarm.signal.source": kind };
    if (kind === "cron") {
      const expr = typeof p.expr === "string" ? p.expr : Array.isArray(p.fields) ? p.fields.join(" ") : "";
      name = `cron ${expr}`.trim();
      attributes["mulefarm.cron.expr"] = expr;
      if (p.tz) attributes["mulefarm.cron.tz"] = String(p.tz);
    } else if (kind === "timer" || kind === "rbtimer") {
      name = `${kind} ${p.seconds}s`;
      attributes["mulefarm.timer.seconds"] = Number(p.seconds);
    } else if (kind === "filemon" && p.path) {
      name = `filemon ${p.path}`;
      attributes["mulefarm.filemon.path"] = String(p.path);
    }
    this.labels.set(fn, { name, attributes });
  }

  wrap<F extends (num: number) => unknown>(num: number, fn: F): F {
    const tracer = this.tracer;
    const labels = this.labels;
    return ((n: number) => {
      const l = labels.get(fn);
      // A root, explicitly: the delivering callback may carry a stale active context (see http.ts).
      const span = tracer.startSpan(l?.name ?? `signal ${num}`, { kind: SpanKind.INTERNAL, attributes: { ...l?.attributes, "mulefarm.signal.number": n } }, ROOT_CONTEXT);
      const fail = (e: unknown) => {
        span.recordException(e as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: oneLine(e) });
        span.end();
        throw e;
      };
      let r: unknown;
      try {
        r = context.with(trace.setSpan(ROOT_CONTEXT, span), () => fn(n)); // a spool() in the handler is its child
      } catch (e) {
        fail(e);
      }
      // Sync stays sync (the caller counts a handler without a promise finished at once).
      if (r !== null && typeof r === "object" && typeof (r as any).then === "function") {
        return (r as PromiseLike<unknown>).then((v) => { span.end(); return v; }, fail);
      }
      span.end();
      return r;
    }) as F;
  }
}
