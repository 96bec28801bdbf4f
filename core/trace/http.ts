// Worker requests: one SERVER span each, continuing the caller's trace when
// the request carries a traceparent header. Named by the method (the
// semantic conventions' name when no route is known); the path, the status
// and the port are attributes. The span is active while the app runs, so
// spool() and mule sends in the handler become its children.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import { oneLine } from "../errors.ts";

const headerGetter = {
  keys: (h: Headers) => [...h.keys()],
  get: (h: Headers, key: string) => h.get(key) ?? undefined,
};

export function tracedFetch(tracer: Tracer, fetch: (req: Request) => Promise<Response>): (req: Request) => Promise<Response> {
  return (req) => {
    const url = new URL(req.url);
    // From the root, never the active context: under Deno a callback can run in
    // the context of whatever restarted its event source (a socket write made
    // inside another span), and a request is not that span's child.
    const parent = req.headers.has("traceparent") ? propagation.extract(ROOT_CONTEXT, req.headers, headerGetter) : ROOT_CONTEXT;
    const span = tracer.startSpan(req.method, {
      kind: SpanKind.SERVER,
      attributes: {
        "http.request.method": req.method,
        "url.path": url.pathname,
        "url.scheme": url.protocol.replace(":", ""),
        "server.port": Number(url.port) || (url.protocol === "https:" ? 443 : 80),
        ...(url.search ? { "url.query": url.search.slice(1) } : {}),
        ...(req.headers.has("user-agent") ? { "user_agent.original": req.headers.get("user-agent")! } : {}),
      },
    }, parent);
    return context.with(trace.setSpan(parent, span), () => fetch(req)).then(
      (res) => {
        span.setAttribute("http.response.status_code", res.status);
        if (res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        return res;
      },
      (e) => {
        span.recordException(e as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: oneLine(e) });
        span.end();
        throw e;
      },
    );
  };
}
