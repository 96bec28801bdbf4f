// The engine contract: every engine (mules, signals, spooler, cache, ...) plugs
// into the master through these types. It sits below the engines and the
// master alike, so neither imports the other for it.
import type { ChildHandle } from "./adapter/types.ts";
import type { Channel } from "./ipc/channel.ts";
import type { Role } from "./ipc/types.ts";
import type { Config } from "./config.ts";

/** One OS process of a slot (during a chain reload a slot has two). */
export interface Proc {
  pid: number;
  token: string;
  child: ChildHandle;
  channel?: Channel;
  ready: boolean;
  spawnedAt: number;
  draining: boolean;
  onReady: Array<() => void>;
  exited: Promise<void>;
}

/** A role + id position the master keeps filled: worker 2, mule 1, spooler 1. */
export interface Slot {
  role: Role;
  id: number;
  /** Extra data a role needs (spooler dir, mule spec). */
  meta: Record<string, unknown>;
  current: Proc | null;
  old: Proc[];
  respawnCount: number;
  quickDeaths: number;
  lastSpawn: number;
  respawnTimer?: ReturnType<typeof setTimeout>;
  /** Counters pushed by the child (requests, exceptions, ...), per slot. */
  stats: Record<string, number | string | number[]>;
  status: string;
  /** Its process exits on purpose when idle (--spooler-cheap): not respawned; its engine starts it again (MasterApi.spawn). */
  parked?: boolean;
}

/**
 * An engine (mules, signals, spooler, cache, ...) plugs into the master
 * through this narrow interface, without changing the master's shape.
 */
export interface MasterEngine {
  name: string;
  start?(m: MasterApi): void | Promise<void>;
  /** A child's channel is up: register frame handlers on it. */
  attach?(slot: Slot, proc: Proc, channel: Channel): void;
  /** A child process is gone (crash, reload, stop). */
  detach?(slot: Slot, proc: Proc): void;
  /** Request ops this engine answers for children: op → handler. */
  requests?: Record<string, (slot: Slot, args: any) => unknown | Promise<unknown>>;
  /** Adds this engine's part of the stats document. */
  stats?(doc: Record<string, unknown>): void;
  /** Fields added to the Init frame for every child. */
  init?(slot: Slot): Record<string, unknown>;
  stop?(): void | Promise<void>;
}

export interface MasterApi {
  config: Config;
  slots: Slot[];
  slotsOf(role: Role): Slot[];
  slot(role: Role, id: number): Slot | undefined;
  log(msg: string): void;
  runtimeDir: string;
  /** Asks the master to stop (graceful) or reload. */
  stop(code?: number): void;
  /** Graceful reload of `roles` (default: every process; workers one at a time first). */
  reload(roles?: Role[]): void;
  /** Starts a parked slot's process again (no-op when it has one or the master is stopping). */
  spawn(slot: Slot): void;
}
