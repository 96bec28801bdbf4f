// The producer side: any process (worker, mule, spooler) spools tasks into a
// spooler's store. Calls made in the same turn are handed to the store
// together (`enqueueMany`: one durability barrier), and the promise of each
// resolves once its task is accepted. Then the master is told (a SpoolWake
// frame carrying the store's wake note, which names the new tasks), and it
// wakes the store's spoolers, so a task starts within milliseconds.
import { resolve } from "node:path";
import { SpoolError } from "../errors.ts";
import { Kind } from "../ipc/types.ts";
import { log } from "../log.ts";
import { ctx } from "../runtime/context.ts";
import type { NewTask, SpoolStore } from "./store.ts";
import { isPathAddress, openStore } from "./open.ts";
import { encodeWake } from "./wake.ts";
import { tracing } from "../trace/state.ts";

const MAX_NOTE = 64 * 1024;
const WAKE_FLUSH_MS = 1;
let lastFlush = -Infinity;
const stores = new Map<string, Promise<SpoolStore>>();

/** This process's store for a spooler address (opened once, with the instance's --spooler-sync). */
export function storeFor(address: string): Promise<SpoolStore> {
  let s = stores.get(address);
  if (!s) {
    s = openStore(address, {
      sync: ctx.config?.spoolerSync ?? "always",
      onQuarantine: (file, reason, to) => log(`spooler: quarantined ${file}: ${reason} (moved to ${to})`),
    });
    stores.set(address, s);
    s.catch(() => stores.delete(address));
  }
  return s;
}

/**
 * The spooler a task goes to: `spooler` names one (a path or address), else
 * the first --spooler (else the first --spooler-external: one that another
 * instance's spoolers run).
 */
export function targetDir(spooler?: string): string {
  const dirs = [...(ctx.config?.spoolers ?? []), ...(ctx.config?.spoolerExternal ?? [])];
  if (!dirs.length) throw new SpoolError("no spooler is configured (start mulefarm with --spooler DIR, or --spooler-external DIR)");
  if (spooler === undefined || spooler === null || spooler === "") return dirs[0];
  const given = String(spooler);
  const want = isPathAddress(given) ? resolve(given) : given;
  const hit = dirs.find((d) => d === given || (isPathAddress(d) && resolve(d) === want));
  if (!hit) throw new SpoolError(`unknown spooler "${spooler}": configured spoolers are ${dirs.join(", ")}`);
  return hit;
}

/**
 * Addresses whose wakes go to another address with their note wrapped: a
 * group's lane (control/lanes.ts) is woken through its spool's spoolers.
 */
export const wakeRoutes = new Map<string, { address: string; note: (wake: string) => string }>();

interface Pending { task: NewTask; resolve: (id: string) => void; reject: (e: Error) => void }
const pending = new Map<string, Pending[]>();

/** Accepts one task; resolves with its id once it is durable. */
export function enqueue(address: string, task: NewTask): Promise<string> {
  if (tracing && task.trace === undefined) return tracing.spool(address, task, enqueue); // comes back with `trace` set
  return new Promise((resolve, reject) => {
    let list = pending.get(address);
    if (!list) {
      list = [];
      pending.set(address, list);
      queueMicrotask(() => void flush(address));
    }
    list.push({ task, resolve, reject });
  });
}

async function flush(address: string) {
  const list = pending.get(address) ?? [];
  pending.delete(address);
  let store: SpoolStore;
  try {
    store = await storeFor(address);
  } catch (e) {
    for (const p of list) p.reject(asError(e));
    return;
  }
  // A refused task (a bad field, a dedup key taken) refuses the whole call with
  // nothing stored: then each task of the turn is tried alone.
  const split = await accept(store, address, list);
  if (split) await Promise.all(list.map((p) => accept(store, address, [p])));
}

/** Stores `list` in one call; returns true when a refusal means it should be split. */
async function accept(store: SpoolStore, address: string, list: Pending[]): Promise<boolean> {
  try {
    const { ids, wake } = await store.enqueueMany(list.map((p) => p.task));
    // A note naming very many tasks is not worth its bytes: an empty one makes the spoolers list the store.
    const note = wake.length > MAX_NOTE ? "" : wake;
    const route = wakeRoutes.get(address);
    ctx.channel?.send(Kind.SpoolWake, route ? encodeWake(route.address, route.note(note)) : encodeWake(address, note));
    // The frame writer sends at the next setImmediate, which a producer awaiting
    // spool() in a loop on a memory filesystem (no fsync: every step a microtask)
    // never reaches. So send now, unless we did less than WAKE_FLUSH_MS ago:
    // then this wake goes with the next one (a tight loop pays one write, one
    // master relay and one spooler wake-up per millisecond, not per task).
    const now = performance.now();
    if (now - lastFlush >= WAKE_FLUSH_MS) {
      lastFlush = now;
      ctx.channel?.flush();
    }
    list.forEach((p, i) => p.resolve(ids[i]));
  } catch (e) {
    if (list.length > 1 && e instanceof SpoolError) return true;
    for (const p of list) p.reject(asError(e));
  }
  return false;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
