// --cron / --cron2 shell commands, run by the master: one INTERNAL span per
// run, from spawn to exit (a non-zero exit or a kill is the span's error).
// The command gets the span as TRACEPARENT in its environment, the variable
// otel-cli and other command-line tools continue a trace from.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import { traceparentOf } from "./traceparent.ts";

export interface CronCommandRun {
  /** The environment to spawn the command with. */
  env: Record<string, string | undefined>;
  /** The run started as `pid` (or did not: null). */
  started(pid: number | null): void;
  /** The run ended. */
  end(code: number | null, signal: string | null): void;
}

export function cronCommandRun(tracer: Tracer, line: string, command: string): CronCommandRun {
  const span = tracer.startSpan(`cron ${command}`, {
    kind: SpanKind.INTERNAL,
    attributes: { "mulefarm.signal.source": "cron-command", "mulefarm.cron.line": line, "mulefarm.cron.command": command },
  }, ROOT_CONTEXT);
  return {
    env: { ...process.env, TRACEPARENT: traceparentOf(span) },
    started: (pid) => { if (pid) span.setAttribute("mulefarm.cron.pid", pid); },
    end: (code, signal) => {
      if (code !== null) span.setAttribute("process.exit.code", code);
      if (signal) span.setAttribute("mulefarm.cron.signal", signal);
      if (code !== 0) span.setStatus({ code: SpanStatusCode.ERROR, message: signal ? `killed by ${signal}` : `exited with code ${code}` });
      span.end();
    },
  };
}
