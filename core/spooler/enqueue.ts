// The producer side: any process (worker, mule, spooler) spools tasks into a
// spool directory. Calls made in the same turn are written together (one
// batch file per group, written concurrently, one directory fsync), and the
// promise of each resolves once its task is durable. Then the master wakes
// the directory's spoolers, so a task starts within milliseconds.
import { resolve } from "node:path";
import { SpoolError } from "../errors.ts";
import { Kind } from "../ipc/types.ts";
import { log } from "../log.ts";
import { ctx } from "../runtime/context.ts";
import type { NewTask } from "./backend.ts";
import { BATCH, groupForBatches } from "./batch.ts";
import { FileSpoolStore } from "./file-store.ts";
import { tracing } from "../trace/state.ts";

const stores = new Map<string, FileSpoolStore>();

export function storeFor(dir: string): FileSpoolStore {
  let s = stores.get(dir);
  if (!s) {
    s = new FileSpoolStore(dir, { onQuarantine: (file, reason, to) => log(`spooler: quarantined ${file}: ${reason} (moved to ${to})`) });
    stores.set(dir, s);
  }
  return s;
}

/**
 * The spool dir a task goes to: `spooler` names one (path), else the first
 * --spooler (else the first --spooler-external: a dir that another instance's
 * spoolers run).
 */
export function targetDir(spooler?: string): string {
  const dirs = [...(ctx.config?.spoolers ?? []), ...(ctx.config?.spoolerExternal ?? [])];
  if (!dirs.length) throw new SpoolError("no spooler is configured (start mulefarm with --spooler DIR, or --spooler-external DIR)");
  if (spooler === undefined || spooler === null || spooler === "") return dirs[0];
  const want = resolve(String(spooler));
  const hit = dirs.find((d) => d === want || resolve(d) === want);
  if (!hit) throw new SpoolError(`unknown spooler "${spooler}": configured spoolers are ${dirs.join(", ")}`);
  return hit;
}

interface Pending { task: NewTask; resolve: (id: string) => void; reject: (e: Error) => void }
const pending = new Map<string, Pending[]>();

/** Accepts one task; resolves with its id once it is durable. */
export function enqueue(dir: string, task: NewTask): Promise<string> {
  if (tracing && task.trace === undefined) return tracing.spool(dir, task, enqueue); // comes back with `trace` set
  return new Promise((resolve, reject) => {
    let list = pending.get(dir);
    if (!list) {
      list = [];
      pending.set(dir, list);
      queueMicrotask(() => void flush(dir));
    }
    list.push({ task, resolve, reject });
  });
}

async function flush(dir: string) {
  const list = pending.get(dir) ?? [];
  pending.delete(dir);
  const store = storeFor(dir);
  const byTask = new Map(list.map((p) => [p.task, p]));
  await Promise.all(groupForBatches(list.map((p) => p.task)).map(async (group) => {
    const ps = group.map((t) => byTask.get(t)!);
    try {
      if (group.length === 1) {
        ps[0].resolve(await store.enqueue(group[0]));
      } else {
        const at = group[0].at, priority = group[0].priority;
        const id = await store.enqueue({ name: BATCH, args: { tasks: group }, at, priority, retries: Infinity }); // a batch is split on its first recovery, never failed whole
        ps.forEach((p, i) => p.resolve(`${id}:${i}`));
      }
    } catch (e) {
      for (const p of ps) p.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }));
  ctx.channel?.send(Kind.SpoolWake, new TextEncoder().encode(dir));
}
