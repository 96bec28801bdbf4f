// Who am I: the process-level part of the API (worker_id, mule_id, masterpid, ...).
import { ctx } from "../runtime/context.ts";
import { log as logLine } from "../log.ts";

/** This worker's id (1..N), 0 outside HTTP workers. @example if (workerId() === 1) warmUp(); */
export function workerId(): number {
  return ctx.role === "worker" ? ctx.id : 0;
}
/** This mule's id (1..N), 0 outside mules. */
export function muleId(): number {
  return ctx.role === "mule" ? ctx.id : 0;
}
/** The master's pid, 0 when not running under mulefarm. */
export function masterPid(): number {
  return ctx.masterPid;
}
/** The role of this process: "worker", "mule", "spooler" or "none". */
export function role(): string {
  return ctx.role;
}
/** Unix time (seconds) the instance started. */
export function startedOn(): number {
  return ctx.startedOn;
}
/** Number of HTTP worker processes configured. */
export function numproc(): number {
  return ctx.config?.processes ?? 0;
}
/** The parsed options, uWSGI's `uwsgi.opt`. */
export function opt(): Record<string, string | string[] | boolean> {
  return ctx.config?.opt ?? {};
}
/** The configured largest mule message (uWSGI's buffer_size). */
export function bufferSize(): number {
  return ctx.config?.muleMsgSize ?? 65536;
}

/**
 * The bytes of a file compiled into the mulefarm binary (embed/), e.g.
 * "defaults.ini". Under Deno, which cannot embed, it is read from embed/ on disk.
 */
export async function embeddedData(name: string): Promise<Uint8Array> {
  return (await import("../../embed/index.ts")).embeddedData(name);
}

/**
 * One line in the instance's log (--logto, or the master's output), prefixed
 * with this process's role and id: uWSGI's `uwsgi.log()`.
 *
 * @example
 * log(`thumbnail made for ${file}`); // [spooler 1] thumbnail made for a.png
 */
export function log(message: string): void {
  logLine(String(message));
}
