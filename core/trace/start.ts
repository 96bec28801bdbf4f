// Turns tracing on in this process when the environment asks for it (see
// wanted.ts); otherwise does nothing and loads nothing. Called once per
// process, before user code is loaded, so wrappers made at import time
// (signal handlers, cron) already see `tracing`.
import { log } from "../log.ts";
import { oneLine } from "../errors.ts";
import { setTracing, tracing } from "./state.ts";
import { tracingWanted } from "./wanted.ts";

/**
 * Starts the SDK when wanted (`role`: "master" in the master, else the
 * child's role from ctx); returns the flush to run at a graceful stop
 * (spans of a killed process are lost only back to the last periodic
 * export: OTEL_BSP_SCHEDULE_DELAY, 5 s by default), or null when off.
 */
export async function startTracing(role?: string): Promise<(() => Promise<void>) | null> {
  if (!tracingWanted()) return null;
  try {
    // Dynamic, behind the check above: a process that does not trace never parses these (nor the OTel packages).
    const [{ startSdk }, { makeTracing }] = await Promise.all([import("./sdk.ts"), import("./hooks.ts")]);
    setTracing(makeTracing(startSdk(role)));
  } catch (e) {
    log(`tracing: could not start the OpenTelemetry SDK, running without traces: ${oneLine(e)}`);
    return null;
  }
  return () => tracing!.flush();
}
