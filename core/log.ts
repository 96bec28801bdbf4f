// One line per event on stderr, prefixed with who says it. Children's own
// output is prefixed by the master as it relays it ([worker 2] ...), and
// every line the master writes or relays also goes to the log sinks
// (plugins' onLog).

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
  console.log(text.endsWith("\n") ? text.slice(0, -1) : text);
}

/** Writes text (whole lines, ending in a newline) to stderr. */
export function writeErr(text: string): void {
  console.error(text.endsWith("\n") ? text.slice(0, -1) : text);
}

/** Sinks that see every log line of the instance (in the master). */
export const logSinks: Array<(line: string) => void> = [];

export function toSinks(line: string): void {
  // A plugin's own lines are not fed back to plugins (no log loops).
  if (!logSinks.length || line.includes("[plugin ")) return;
  for (const s of logSinks) s(line);
}
