// The page's spooler views and actions, through the same store calls as
// `mulefarm spool ls|show|retry|purge` (cmd/spool.ts): what the page does is
// what the CLI does. One place opens a store, so a store seam (another
// backend) is re-pointed here only.
import { openStore } from "../spooler/open.ts";
import type { SpoolStore, TaskEntry } from "../spooler/store.ts";

/** Failed tasks listed on the page (the count is exact; the rows stop here). */
export const FAILED_ROWS = 100;

// A fresh store per call, as the CLI opens one per command: a store may keep
// a view of its directory, and the spooler processes change it meanwhile.
// Views open it for inspection only (nothing created or moved); actions may repair.
async function withStore<T>(dir: string, log: (msg: string) => void, inspect: boolean, use: (s: SpoolStore) => Promise<T>): Promise<T> {
  const store = await openStore(dir, inspect ? { inspect: true } : { onQuarantine: (file, reason) => log(`spooler: quarantined ${file}: ${reason}`) });
  try { return await use(store); } finally { await store.close(); }
}

export interface FailedRow { id: string; name: string; attempts: number | null; error: string; failedAt: number | null; enqueuedAt: number | null }

function row(e: TaskEntry): FailedRow {
  const t = e.task;
  return { id: e.id, name: t?.name ?? "?", attempts: t?.attempts ?? null, error: t?.lastError ?? e.reason ?? "", failedAt: t?.failedAt ?? null, enqueuedAt: t?.enqueuedAt ?? null };
}

export async function failedTasks(dir: string, log: (msg: string) => void): Promise<{ count: number; rows: FailedRow[] }> {
  const l = await withStore(dir, log, true, (s) => s.list({ limit: FAILED_ROWS }));
  return { count: l.failed.count, rows: l.failed.entries.map(row) };
}

/** One task in any state, shaped like `mulefarm spool show` (the body as its size), or null. */
export async function taskDetail(dir: string, id: string, log: (msg: string) => void): Promise<Record<string, unknown> | null> {
  const e = await withStore(dir, log, true, (s) => s.get(id));
  if (!e) return null;
  const t = e.task;
  const iso = (ms?: number) => (ms ? new Date(ms).toISOString() : undefined);
  const task = t ? { ...t, body: t.body ? `<${t.body.length} bytes>` : undefined, at: iso(t.at), enqueuedAt: iso(t.enqueuedAt), failedAt: iso(t.failedAt) } : null;
  return { id: e.id, state: e.state, file: e.ref, pid: e.pid, reason: e.reason, task };
}

/** Failed task `id` (or all) back to pending with attempts reset: how many moved. */
export async function retryFailed(dir: string, id: string | "all", log: (msg: string) => void): Promise<number> {
  return withStore(dir, log, false, (s) => s.retryFailed(id));
}

/** Deletes every failed task: how many. */
export async function purgeFailed(dir: string, log: (msg: string) => void): Promise<number> {
  return withStore(dir, log, false, (s) => s.purgeFailed());
}

/** JSON of task records: bigints as strings, Uint8Arrays as their size, Dates as ISO text (JSON's own). */
export function taskJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x instanceof Uint8Array ? `<${x.length} bytes>` : x));
}
