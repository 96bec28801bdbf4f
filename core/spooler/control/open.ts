// The task control of a spool address (control.ts), by scheme as stores are
// (../open.ts): a directory gets FileControl, redis://…#NAME RedisControl.
// One per address per process (`controlFor`), opened on first use, so a
// process that never asks about tasks never opens one.
import { schemeOf } from "../open.ts";
import { SpoolError } from "../../errors.ts";
import type { TaskControl } from "./control.ts";

const CONTROLS: Record<string, (address: string) => Promise<TaskControl>> = {
  "": async (a) => new (await import("./file.ts")).FileControl(a),
  file: async (a) => new (await import("./file.ts")).FileControl(a),
  redis: async (a) => (await import("./redis.ts")).openRedisControl(a),
  rediss: async (a) => (await import("./redis.ts")).openRedisControl(a),
};

/** Opens the control of `address` (a new one; close it when done). */
export function openControl(address: string): Promise<TaskControl> {
  const open = Object.hasOwn(CONTROLS, schemeOf(address)) ? CONTROLS[schemeOf(address)] : undefined;
  if (!open) return Promise.reject(new SpoolError(`no task control for spooler address: got "${address}"`));
  return open(address);
}

const opened = new Map<string, Promise<TaskControl>>();
/** This process's control of `address`, opened once. */
export function controlFor(address: string): Promise<TaskControl> {
  let c = opened.get(address);
  if (!c) {
    c = openControl(address);
    opened.set(address, c);
    c.catch(() => opened.delete(address));
  }
  return c;
}
