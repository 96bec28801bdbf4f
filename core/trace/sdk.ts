// The OpenTelemetry SDK, loaded only when tracing is wanted (start.ts imports
// this file dynamically, so a process without the variables never parses
// these packages; the compiled binary keeps them in a chunk of their own).
// Spans go through a BatchSpanProcessor (OTEL_BSP_* apply) to the OTLP/HTTP
// JSON exporter, which reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS
// and _TIMEOUT itself; OTEL_TRACES_SAMPLER applies as in any OTel SDK.
import { context, propagation, trace, type Tracer } from "@opentelemetry/api";
import { setGlobalErrorHandler, W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { oneLine } from "../errors.ts";
import { log } from "../log.ts";
import { VERSION } from "../version.ts";
import { AlsContextManager } from "./context-manager.ts";
import { processResource } from "./resource.ts";

export interface Sdk {
  tracer: Tracer;
  /** Exports what is buffered; resolves within `timeoutMs` even when the collector does not answer. */
  flush(timeoutMs: number): Promise<void>;
}

/** Set when this module is evaluated: tests read it to prove the off path loaded nothing. */
(globalThis as any)[Symbol.for("mulefarm.trace.sdk")] = true;

const ERROR_LOG_EVERY_MS = 60_000;

export function startSdk(role?: string): Sdk {
  const protocol = process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol && protocol !== "http/json") log(`tracing: OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported here; spans are sent as http/json`);
  // A collector that is down must not flood the log: one line a minute.
  let lastError = 0;
  setGlobalErrorHandler((e) => {
    const now = Date.now();
    if (now - lastError < ERROR_LOG_EVERY_MS) return;
    lastError = now;
    log(`tracing: exporting spans failed: ${oneLine(e)}`);
  });
  const processor = new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new BasicTracerProvider({ resource: processResource(role), spanProcessors: [processor] });
  context.setGlobalContextManager(new AlsContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    tracer: provider.getTracer("mulefarm", VERSION),
    flush: (timeoutMs) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((r) => { timer = setTimeout(r, timeoutMs); });
      return Promise.race([provider.forceFlush().catch(() => {}), late]).finally(() => clearTimeout(timer));
    },
  };
}
