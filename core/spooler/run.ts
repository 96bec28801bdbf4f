// Runs one task in a spooler process and turns how it ended into what the
// store should do: complete, retry (with back-off), or fail.
import { RateLimited, Retry, Unrecoverable, oneLine } from "../errors.ts";
import type { TaskRecord } from "./task.ts";
import { spoolFn, RAW_HANDLER } from "./registry.ts";
import { backoffMs, mayRetry } from "./policy.ts";
import { tracing } from "../trace/state.ts";

export const SPOOL_OK = -2;
export const SPOOL_RETRY = -1;
export const SPOOL_IGNORE = 0;

export type Outcome =
  | { kind: "complete"; value?: unknown }
  | { kind: "retry"; delayMs: number; error?: string; countAttempt: boolean }
  | { kind: "fail"; error: string; cause?: { code: string; message: string } };

/** What a task function gets beside its args; `signal` aborts when the task is cancelled (cancelTask). */
export interface TaskMeta { id: string; attempt: number; dir: string; signal?: AbortSignal }

/** Plugins with onTask, by name: a task named "plugin:NAME" goes to plugin NAME. */
export const taskPlugins = new Map<string, (args: unknown) => Promise<unknown>>();

export function runTask(t: TaskRecord, meta: TaskMeta): Promise<Outcome> {
  return tracing ? tracing.runTask(t, meta.id, meta.dir, () => run(t, meta)) : run(t, meta); // a child span of the spool() call
}

async function run(t: TaskRecord, meta: TaskMeta): Promise<Outcome> {
  if (t.name.startsWith("plugin:")) {
    const call = taskPlugins.get(t.name.slice(7));
    if (!call) return failed(t, `no plugin "${t.name.slice(7)}" with an onTask hook in this spooler (--plugin)`);
    try {
      return { kind: "complete", value: await call(t.args) };
    } catch (e) {
      return failed(t, `${(e as any)?.code ?? (e as any)?.name ?? "Error"}: ${oneLine((e as any)?.message ?? e)}`);
    }
  }
  const entry = spoolFn(t.name) ?? (t.name === "" ? spoolFn(RAW_HANDLER) : undefined);
  if (!entry) {
    return failed(t, `no spool function named "${t.name}" in this spooler (load its module with --import)`);
  }
  let result: unknown;
  try {
    if (entry.passArguments) {
      const a = t.args ?? {};
      result = await entry.fn(...(Array.isArray(a.args) ? a.args : []), ...(a.kwargs ? [a.kwargs] : []));
    } else {
      const args = t.body !== undefined ? { ...(t.args ?? {}), body: t.body } : t.args ?? {};
      result = await entry.fn(args, meta);
    }
  } catch (e) {
    if (e instanceof Unrecoverable) return { kind: "fail", error: `Unrecoverable: ${e.message}`, cause: causeOf(e) };
    if (e instanceof RateLimited) return { kind: "retry", delayMs: Math.max(0, Number(e.ms) || 0), error: "RateLimited", countAttempt: false };
    if (e instanceof Retry) return { kind: "retry", delayMs: (e.delaySeconds ?? 0) * 1000 || backoffMs(t, t.attempts + 1), error: "Retry requested", countAttempt: true };
    return failed(t, oneLine(e), causeOf(e));
  }
  if (entry.mode === "forever") return { kind: "retry", delayMs: 0, countAttempt: false };
  if (entry.mode === "raw") {
    if (result === SPOOL_RETRY) return { kind: "retry", delayMs: 1000, countAttempt: false };
    if (result === SPOOL_OK || result === SPOOL_IGNORE) return { kind: "complete" };
    return failed(t, `spoolraw function "${t.name}" returned ${JSON.stringify(result)}; expected SPOOL_OK, SPOOL_RETRY or SPOOL_IGNORE`);
  }
  return { kind: "complete", value: result };
}

function failed(t: TaskRecord, error: string, cause?: { code: string; message: string }): Outcome {
  const n = t.attempts + 1;
  return mayRetry(t, n) ? { kind: "retry", delayMs: backoffMs(t, n), error, countAttempt: true } : { kind: "fail", error: `${error} (attempt ${n})`, cause };
}

/** A thrown value as its code and message, for the task's result (rebuilt by errorFromCode). */
function causeOf(e: unknown): { code: string; message: string } {
  const err = e as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof err?.code === "string" ? err.code : typeof err?.name === "string" ? err.name : "Error";
  return { code, message: String(err?.message ?? e) };
}
