/**
 * The spooler: a durable on-disk task queue. A task stores a function name
 * and data, never code; `.spool()` resolves once the task is accepted at the
 * level of --spooler-sync (default: fsynced).
 *
 * @example
 * import { spool, SPOOL_OK } from "mulefarm";
 * export const encode = spool(async (args: { filename: string }) => { await ffmpeg(args.filename); });
 * await encode.spool({ filename: "a.mp4", at: new Date(Date.now() + 60_000), retries: 5 });
 */
import { SpoolError, shown } from "../errors.ts";
import { channel, ctx } from "../runtime/context.ts";
import type { NewTask, TaskRecord } from "../spooler/store.ts";
import { enqueue, storeFor, targetDir } from "../spooler/enqueue.ts";
import { RAW_HANDLER, registerSpoolFn, type SpoolMode } from "../spooler/registry.ts";

export { SPOOL_IGNORE, SPOOL_OK, SPOOL_RETRY } from "../spooler/run.ts";
export { Retry, Unrecoverable } from "../errors.ts";

/** Keys of the spooled arguments that steer the task instead of reaching the function. */
export interface SpoolOptions {
  /** Which spooler directory (default: the first --spooler). */
  spooler?: string;
  /** Not run before this time: a Date or unix seconds. */
  at?: Date | number;
  /** Lower runs first. */
  priority?: number;
  /** Raw bytes beside the arguments (arrives as args.body). */
  body?: Uint8Array | string;
  /** Failed attempts allowed before DIR/failed/ (default 3). */
  retries?: number;
  /** Back-off base in seconds, doubled per attempt (default 1, capped at 5 min). */
  backoff?: number;
  /** Dedup key: a second task with the same key is refused while the first is pending. */
  key?: string;
}
const SPECIAL = ["spooler", "at", "priority", "body", "retries", "backoff", "key"] as const;

export interface TaskMeta { id: string; attempt: number; dir: string }
export type Spoolable<A, R> = ((args: A, meta?: TaskMeta) => R) & {
  /** Queues a call; resolves with the task id once it is durable. */
  spool(args?: A & SpoolOptions): Promise<string>;
  /** The name the task is stored under. */
  taskName: string;
};

function split(all: Record<string, unknown>): { args: Record<string, unknown>; opts: SpoolOptions } {
  const args: Record<string, unknown> = {};
  const opts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all ?? {})) ((SPECIAL as readonly string[]).includes(k) ? opts : args)[k] = v;
  return { args, opts: opts as SpoolOptions };
}

function toNewTask(name: string, args: unknown, o: SpoolOptions): NewTask {
  let at: number | undefined;
  if (o.at instanceof Date) at = o.at.getTime();
  else if (o.at !== undefined) {
    const n = Number(o.at);
    if (!Number.isFinite(n)) throw new SpoolError(`spool option "at" must be a Date or unix seconds: got ${shown(o.at)}`);
    at = n * 1000;
  }
  const body = typeof o.body === "string" ? new TextEncoder().encode(o.body) : o.body;
  return { name, args, body, at, priority: o.priority, retries: o.retries, backoff: o.backoff, key: o.key };
}

function make<A extends Record<string, unknown>, R>(fn: (args: A, meta?: TaskMeta) => R, mode: SpoolMode, o: { passArguments?: boolean; name?: string } = {}): Spoolable<A, R> {
  const entry = registerSpoolFn(fn, mode, !!o.passArguments, o.name);
  const wrapper = ((...a: any[]) => (fn as any)(...a)) as Spoolable<A, R>;
  wrapper.taskName = entry.name;
  wrapper.spool = (...given: any[]) => {
    let args: unknown, opts: SpoolOptions;
    if (o.passArguments) {
      // spool(a, b, { kw: 1, at: ... }): a trailing plain object carries keyword arguments and options.
      const last = given[given.length - 1];
      const hasKw = last && typeof last === "object" && !Array.isArray(last) && !(last instanceof Uint8Array) && !(last instanceof Date);
      const s = split(hasKw ? last : {});
      args = { args: hasKw ? given.slice(0, -1) : given, kwargs: Object.keys(s.args).length ? s.args : undefined };
      opts = s.opts;
    } else {
      const s = split(given[0] ?? {});
      args = s.args;
      opts = s.opts;
    }
    try {
      return enqueue(targetDir(opts.spooler), toNewTask(entry.name, args, opts));
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return wrapper;
}

/** `spool(fn)`: fn runs once in a spooler per `.spool(args)`; a throw is retried with back-off, then failed/. */
export function spool<A extends Record<string, unknown>, R>(fn: (args: A, meta?: TaskMeta) => R, opts?: { passArguments?: boolean; name?: string }): Spoolable<A, R> {
  return make(fn, "spool", opts);
}
/** `spoolforever(fn)`: the task is queued again after every run. */
export function spoolforever<A extends Record<string, unknown>, R>(fn: (args: A, meta?: TaskMeta) => R, opts?: { passArguments?: boolean; name?: string }): Spoolable<A, R> {
  return make(fn, "forever", opts);
}
/** `spoolraw(fn)`: fn returns SPOOL_OK (done), SPOOL_RETRY (run again) or SPOOL_IGNORE (drop). */
export function spoolraw<A extends Record<string, unknown>, R>(fn: (args: A, meta?: TaskMeta) => R, opts?: { passArguments?: boolean; name?: string }): Spoolable<A, R> {
  return make(fn, "raw", opts);
}

/**
 * uWSGI's send_to_spooler / spool: a raw task handled by the function set
 * with `setSpoolerHandler` (uwsgi.spooler = fn), or by the spool function
 * named in `ud_spool_func`.
 */
export function sendToSpooler(dict: Record<string, unknown>, o: SpoolOptions = {}): Promise<string> {
  const s = split(dict);
  const opts = { ...s.opts, ...o };
  const name = typeof s.args.ud_spool_func === "string" ? s.args.ud_spool_func : "";
  try {
    return enqueue(targetDir(opts.spooler), toNewTask(name, s.args, opts));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** The handler of raw tasks (uwsgi.spooler = fn): returns SPOOL_OK / SPOOL_RETRY / SPOOL_IGNORE. */
export function setSpoolerHandler(fn: (args: Record<string, unknown>) => unknown): void {
  registerSpoolFn(fn, "raw", false, RAW_HANDLER);
}

/** Changes every spooler's idle rescan interval. */
export function setSpoolerFrequency(seconds: number): Promise<boolean> {
  if (!(seconds > 0)) return Promise.reject(new SpoolError(`spooler frequency must be a positive number of seconds: got ${seconds}`));
  return channel("set_spooler_frequency").request("spooler.frequency", { seconds });
}

/** The pending tasks of the first spooler (or `dir`), in run order: paths of task files in the spool dir (uWSGI's spooler_jobs). */
export async function spoolerJobs(dir?: string): Promise<string[]> {
  return (await storeFor(targetDir(dir))).jobs();
}

/** The pid of the first spooler process. */
export async function spoolerPid(): Promise<number> {
  const d = await channel("spooler_pid").request("stats");
  return d.spoolers?.[0]?.pid ?? 0;
}

/** The task at a path that spoolerJobs() gave (absolute or relative), or with an id, in the first spooler; null if none. */
export async function spoolerGetTask(pathOrId: string): Promise<TaskRecord | null> {
  return (await storeFor(targetDir())).readTask(pathOrId).catch(() => null);
}

/** Whether this process is a spooler. */
export function iAmTheSpooler(): boolean {
  return ctx.role === "spooler";
}

