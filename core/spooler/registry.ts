// Spool functions by name. A task file stores only the name and the data;
// the spooler process finds the code here (loaded with --import), never in
// the file.
export type SpoolMode = "spool" | "forever" | "raw";

export interface SpoolFn {
  name: string;
  fn: (...args: any[]) => unknown;
  mode: SpoolMode;
  passArguments: boolean;
}

const fns = new Map<string, SpoolFn>();
const seen = new Map<string, number>();

/** Registers fn under its name (a second function with the same name gets "name#1", ...). */
export function registerSpoolFn(fn: (...args: any[]) => unknown, mode: SpoolMode, passArguments: boolean, name?: string): SpoolFn {
  const base = name ?? (fn.name || "anonymous");
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  const entry: SpoolFn = { name: n ? `${base}#${n}` : base, fn, mode, passArguments };
  fns.set(entry.name, entry);
  return entry;
}

export function spoolFn(name: string): SpoolFn | undefined {
  return fns.get(name);
}

/** The uwsgi.spooler callback of the compat API: runs tasks sent with send_to_spooler(). */
export const RAW_HANDLER = "uwsgi.spooler";
