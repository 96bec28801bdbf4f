// One line per event on stderr, prefixed with who says it. Children's own
// output is prefixed by the master as it relays it ([worker 2] ...).

let prefix = "master";

export function setLogPrefix(p: string): void {
  prefix = p;
}

export function log(msg: string): void {
  process.stderr.write(`[${prefix}] ${msg}\n`);
}

/** Runtime hook: the plugin engine may add sinks (onLog). */
export const logSinks: Array<(line: string) => void> = [];
