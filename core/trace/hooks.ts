// The Tracing object the span sites call (state.ts), built on a started SDK.
import { ctx } from "../runtime/context.ts";
import type { Sdk } from "./sdk.ts";
import type { Tracing } from "./state.ts";
import { tracedFetch } from "./http.ts";
import { tracedRun, tracedSpool } from "./spool.ts";
import { MuleSpans } from "./mule.ts";
import { SignalSpans } from "./signal.ts";
import { cronCommandRun } from "./cron-command.ts";

/** Bound on a flush at stop: a collector that does not answer must not hold the stop up. */
const FLUSH_MS = 2000;

export function makeTracing(sdk: Sdk): Tracing {
  const t = sdk.tracer;
  const mules = new MuleSpans(t);
  const signals = new SignalSpans(t);
  return {
    http: (fetch) => tracedFetch(t, fetch),
    spool: (dir, task, enqueue) => tracedSpool(t, dir, task, enqueue),
    runTask: (task, id, dir, run) => tracedRun(t, task, id, dir, run),
    muleSend: (to, msg) => mules.send(to, msg),
    muleReceived: (msg, muleId) => mules.received(msg, muleId ?? ctx.id),
    muleDone: () => mules.done(),
    mulefuncCall: (to, key) => mules.call(to, key),
    mulefuncRun: (key, tp, run) => mules.run(key, tp, run),
    signal: (num, fn) => signals.wrap(num, fn),
    label: (fn, kind, params) => signals.label(fn, kind, params),
    cronCommand: (line, command) => cronCommandRun(t, line, command),
    flush: () => { mules.done(); return sdk.flush(FLUSH_MS); },
  };
}
