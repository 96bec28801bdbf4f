// What the current process is (role, id, config, its channel to the master).
// The user API reads it; outside mulefarm it says role "none".
import type { Config } from "../config.ts";
import type { Channel } from "../ipc/channel.ts";
import type { Role } from "../ipc/types.ts";

export interface ProcessContext {
  role: Role | "none";
  id: number;
  config: Config | null;
  channel: Channel | null;
  masterPid: number;
  startedOn: number;
  runtimeDir: string;
  meta: Record<string, unknown>;
  /** Fields engines put in the Init frame. */
  init: Record<string, any>;
  /** Counters pushed to the master's stats. */
  /** Pushed to the master (stats-push.ts): counters, and histograms as number arrays. */
  counters: Record<string, number | number[]>;
}

export const ctx: ProcessContext = {
  role: "none",
  id: 0,
  config: null,
  channel: null,
  masterPid: 0,
  startedOn: Math.floor(Date.now() / 1000),
  runtimeDir: "",
  meta: {},
  init: {},
  counters: {},
};

/** The channel to the master, or a clear error when not running under mulefarm. */
export function channel(what: string): Channel {
  if (!ctx.channel) throw new Error(`${what} needs a running mulefarm instance (this process was not started by mulefarm)`);
  return ctx.channel;
}

/** Hooks engines install on the child side; run once the channel is up. */
export const childSetup: Array<(c: Channel) => void> = [];
/** Run after --import modules are loaded and before the role starts (postfork). */
export const postforkHooks: Array<() => unknown> = [];
/** Requests the master may send to this child: op → handler. */
export const childRequests = new Map<string, (args: any) => unknown>();
/** Run when the master asks this process to stop gracefully. */
export const shutdownHooks: Array<() => unknown> = [];
