// One line per event on stderr, prefixed with who says it. Children's own
// output is prefixed by the master as it relays it ([worker 2] ...), and
// every line the master writes or relays also goes to the log sinks
// (plugins' onLog).

import { closeSync, openSync, writeSync } from "node:fs";

let prefix = "master";

export function setLogPrefix(p: string): void {
  prefix = p;
}

export function log(msg: string): void {
  const line = `[${prefix}] ${msg}`;
  writeErr(line + "\n");
  toSinks(line);
}

// Through the console, not process.stdout/stderr: those are node streams, and
// touching them costs a process ~10 ms of start-up CPU (the master logs at
// once). The console writes synchronously, so lines keep their order.

/** Writes text (whole lines, ending in a newline) to stdout. */
export function writeOut(text: string): void {
  if (logFd !== null) return toFile(text);
  console.log(text.endsWith("\n") ? text.slice(0, -1) : text);
}

/** Writes text (whole lines, ending in a newline) to stderr. */
export function writeErr(text: string): void {
  if (logFd !== null) return toFile(text);
  console.error(text.endsWith("\n") ? text.slice(0, -1) : text);
}

// --logto FILE (in the master, which writes and relays every line of the
// instance): appended with O_APPEND, so logrotate's copytruncate and other
// writers are safe; --log-reopen reopens it on each reload.
let logFd: number | null = null;
let logPath = "";

/** Sends the instance's log to `path` (appended), or back to stdout/stderr with null. */
export function setLogFile(path: string | null): void {
  const old = logFd;
  logFd = path === null ? null : openSync(path, "a", 0o640);
  logPath = path ?? "";
  if (old !== null) closeSync(old);
}

/** Reopens the --logto file (after logrotate moved it away). */
export function reopenLogFile(): void {
  if (logFd !== null) setLogFile(logPath);
}

/** The --logto file's descriptor, for processes that write to it directly (cron commands), or null. */
export function logFileFd(): number | null {
  return logFd;
}

function toFile(text: string): void {
  writeSync(logFd!, text.endsWith("\n") ? text : text + "\n");
}

/** Sinks that see every log line of the instance (in the master). */
export const logSinks: Array<(line: string) => void> = [];

export function toSinks(line: string): void {
  // A plugin's own lines are not fed back to plugins (no log loops).
  if (!logSinks.length || line.includes("[plugin ")) return;
  for (const s of logSinks) s(line);
}
