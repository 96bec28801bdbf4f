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
  process.stderr.write(line + "\n");
  toSinks(line);
}

/** Sinks that see every log line of the instance (in the master). */
export const logSinks: Array<(line: string) => void> = [];

export function toSinks(line: string): void {
  // A plugin's own lines are not fed back to plugins (no log loops).
  if (!logSinks.length || line.includes("[plugin ")) return;
  for (const s of logSinks) s(line);
}
