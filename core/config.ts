// The resolved configuration every process shares (the master sends it to
// each child in its Init frame). `opt` is uWSGI's `uwsgi.opt`: raw values.
import { UsageError } from "./errors.ts";
import type { Role } from "./ipc/types.ts";

/**
 * Largest span in seconds mulefarm takes (an option like --harakiri, a timer
 * interval): timers are armed with setTimeout, whose delay is a signed 32-bit
 * count of milliseconds (about 24.8 days); a longer one would fire at once,
 * again and again.
 */
export const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export interface MuleDef {
  id: number;
  /** null: a signal-only mule; else a SPEC (script.ts, mod.ts:fn, pkg.mod:fn, sandbox:x.ts). */
  spec: string | null;
}

/** A sandboxed light mule (`--mule=sandbox:SPEC`): it runs in the shared host process, not a process of its own. */
export const isLightMule = (m: MuleDef): boolean => !!m.spec?.startsWith("sandbox:");

export interface FarmDef {
  name: string;
  mules: number[];
}

export interface Config {
  http?: { host: string; port: number };
  processes: number;
  module?: string;
  imports: string[];
  chdir?: string;
  pidfile?: string;
  env: string[];
  reloadMercy: number;
  harakiri?: number;
  maxRequests?: number;
  reloadOnRss?: number;
  maxWorkerLifetime?: number;
  maxWorkerLifetimeDelta?: number;
  muleReloadOnRss?: number;
  spoolerReloadOnRss?: number;
  logRequests: boolean;
  /** Nice value of each child's background runtime threads (0: unchanged). */
  backgroundNice: number;
  mules: MuleDef[];
  farms: FarmDef[];
  muleQueue: number;
  muleSendTimeout: number;
  muleMsgSize: number;
  /** --mule-max-redeliveries: times a message whose mule died holding it is delivered again before it is parked. */
  muleMaxRedeliveries: number;
  /** --signal-max-redeliveries: times a signal whose target died before finishing it goes to a successor before it is parked. */
  signalMaxRedeliveries: number;
  muleHarakiri?: number;
  spoolers: string[];
  spoolerProcesses: number;
  spoolerFrequency: number;
  spoolerMaxTasks?: number;
  /** --spooler-cheap: spooler processes exit when idle and start again when a task is due. */
  spoolerCheap: boolean;
  /** --queue-blocksize: bytes per shared queue slot (default 8192). */
  queueBlocksize?: number;
  exitOnReload: boolean;
  /** --spooler-external: spool dirs this instance writes to and another instance runs. */
  spoolerExternal: string[];
  /** --master-fifo: uWSGI's one-letter command pipe. */
  masterFifo?: string;
  /** --spooler-import: modules loaded in spoolers only. */
  spoolerImports: string[];
  spoolerChdir?: string;
  spoolerSignalAsTask: boolean;
  spoolerHarakiri?: number;
  spoolerOrdered: boolean;
  /** --spooler-sync: when spool() resolves (core/spooler/store.ts SyncMode). */
  spoolerSync: "always" | "batch" | "none";
  timers: string[];
  rbtimers: string[];
  fsSignals: string[];
  touchSignals: string[];
  /** --touch-reload and its per-role forms: which processes a touch of `path` reloads (null: all). */
  touchReloads: Array<{ option: string; path: string; roles: Role[] | null }>;
  fsReloads: string[];
  crons: string[];
  cron2s: string[];
  logto?: string;
  logReopen: boolean;
  cronHarakiri?: number;
  locks: number;
  cache2: string[];
  sharedarea?: number;
  queue?: number;
  rpc?: string;
  stats?: string;
  statsHttp: boolean;
  plugins: string[];
  /** Lines the master logs at start about options it took but ignores (uWSGI's plugin names, --threads). */
  notes: string[];
  grants: string[];
  iniFiles: string[];
  help: boolean;
  version: boolean;
  opt: Record<string, string | string[] | boolean>;
}

/** `:8080`, `127.0.0.1:8080`, `[::1]:8080`, `localhost:0`. */
export function parseAddr(option: string, v: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(v.trim());
  if (!m) throw new UsageError(`--${option} must be HOST:PORT or :PORT: got "${v}"`);
  const port = Number(m[3]);
  if (port > 65535) throw new UsageError(`--${option} port must be 0..65535: got "${v}"`);
  return { host: m[1] ?? (m[2] || "0.0.0.0"), port };
}
