// The one thing every span site imports: `tracing`, null unless the OTLP
// environment variables asked for traces (see wanted.ts). A site costs one
// `if (tracing)` on a module binding when tracing is off; the OpenTelemetry
// packages are loaded only by sdk.ts, through a dynamic import in start.ts.
//
// This file imports nothing at run time (types only), so it adds nothing to
// a process that does not trace.

/** A mule message as user code sees it. */
export type TracedMessage = string | Uint8Array;

/** What the span sites call; implemented by hooks.ts once the SDK is up. */
export interface Tracing {
  /** Wraps a worker's fetch handler: one SERVER span per request, continuing an incoming traceparent. */
  http(fetch: (req: Request) => Promise<Response>): (req: Request) => Promise<Response>;
  /** A PRODUCER span around `enqueue`; the task carries its traceparent in `trace`. */
  spool<T extends { name: string; trace?: string }>(dir: string, task: T, enqueue: (dir: string, task: T) => Promise<string>): Promise<string>;
  /** A CONSUMER span (child of the spool span) around one run of a task. */
  runTask<R>(task: { name: string; trace?: string; attempts: number }, id: string, dir: string, run: () => Promise<R>): Promise<R>;
  /** A PRODUCER span for one mule message; returns the message wrapped in its envelope. */
  muleSend(to: number | string | undefined, msg: TracedMessage): TracedMessage;
  /** Strips the envelope of a message handed to mule `muleId` (default: this process's) and opens its CONSUMER span (ended by muleDone). */
  muleReceived<M extends TracedMessage>(msg: M, muleId?: number): M;
  /** The mule asks for its next message: the previous one is handled. */
  muleDone(): void;
  /** A PRODUCER span for an offloaded call; returns the traceparent that travels with it. */
  mulefuncCall(to: number | string | undefined, key: string): string;
  /** A CONSUMER span around an offloaded function's run in the mule. */
  mulefuncRun<R>(key: string, traceparent: unknown, run: () => R): Promise<Awaited<R>>;
  /** Wraps a signal handler: one INTERNAL span per run (named by label() for timers, crons, file monitors). */
  signal<F extends (num: number) => unknown>(num: number, fn: F): F;
  /** A span for one run of a --cron/--cron2 shell command (in the master): spawn it with `env`, then report. */
  cronCommand(line: string, command: string): { env: Record<string, string | undefined>; started(pid: number | null): void; end(code: number | null, signal: string | null): void };
  /** Names the spans of a handler registered by a timer/cron/filemon wrapper. */
  label(fn: (...a: any[]) => unknown, kind: string, params: unknown): void;
  /** Exports what is buffered (bounded wait). */
  flush(): Promise<void>;
}

/** Non-null once start.ts loaded the SDK (a live binding: importers see the change). */
export let tracing: Tracing | null = null;

export function setTracing(t: Tracing | null): void {
  tracing = t;
}

/**
 * For a process that exits by itself (a parked or recycled spooler, a mule
 * whose program ended): `exit` runs once the buffered spans are exported
 * (bounded), or at once when not tracing.
 */
export function flushThen(exit: () => void): void {
  if (tracing) void tracing.flush().finally(exit);
  else exit();
}
