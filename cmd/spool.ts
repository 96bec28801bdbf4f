// `mulefarm spool ls DIR | show DIR ID | retry DIR ID|--failed | purge DIR --failed`:
// inspect and repair a spool directory, running or not.
import { UsageError } from "../core/errors.ts";
import { openStore } from "../core/spooler/open.ts";
import type { SpoolStore, TaskEntry } from "../core/spooler/store.ts";

const USAGE = "usage: mulefarm spool ls DIR | show DIR ID | retry DIR ID|--failed | purge DIR --failed";

/** `inspect`: ls and show only look (the store is not created, nothing is moved). */
function openDir(d: string | undefined, inspect = false): Promise<SpoolStore> {
  if (!d) throw new UsageError(`spool: a spool directory is required (${USAGE})`);
  return openStore(d, inspect ? { inspect: true } : { onQuarantine: (file, reason) => void process.stderr.write(`quarantined ${file}: ${reason}\n`) });
}

function when(ms?: number): string {
  return ms ? new Date(ms).toISOString() : "-";
}

function line(e: TaskEntry): string {
  const t = e.task;
  const bits = [e.id.padEnd(40), (t?.name ?? "?").padEnd(20), `attempts ${t?.attempts ?? "?"}`, `due ${when(e.dueAt)}`];
  if (e.priority !== undefined) bits.push(`priority ${e.priority}`);
  if (e.pid) bits.push(`pid ${e.pid}`);
  if (t?.lastError) bits.push(`error: ${t.lastError}`);
  if (e.reason) bits.push(`reason: ${e.reason}`);
  return "  " + bits.join("  ");
}

export async function spoolCommand(args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  switch (cmd) {
    case "ls": {
      const store = await openDir(rest[0], true);
      const l = await store.list({ limit: 50 });
      for (const f of l.foreign) process.stderr.write(`not a task file, left in place (a spooler moves it to quarantine/): ${f.ref}: ${f.reason}\n`);
      for (const state of ["pending", "running", "failed", "quarantined"] as const) {
        const s = l[state];
        process.stdout.write(`${state} (${s.count})\n`);
        for (const e of s.entries) process.stdout.write(line(e) + "\n");
        if (s.count > s.entries.length) process.stdout.write(`  ... ${s.count - s.entries.length} more\n`);
      }
      process.stdout.write(`${l.pending.count} pending, ${l.running.count} running, ${l.failed.count} failed, ${l.quarantined.count} quarantined in ${store.address} (spooler-sync ${store.sync})\n`);
      return 0;
    }
    case "show": {
      if (rest.length !== 2) throw new UsageError(`spool show: give a spool directory and a task id (${USAGE})`);
      const [dir, id] = rest;
      const store = await openDir(dir, true);
      const e = await store.get(id);
      if (!e) { process.stderr.write(`mulefarm: no task ${id} in ${store.address}\n`); return 1; }
      const t = e.task;
      const shown = t ? { ...t, body: t.body ? `<${t.body.length} bytes>` : undefined, at: t.at ? when(t.at) : undefined, enqueuedAt: when(t.enqueuedAt), failedAt: t.failedAt ? when(t.failedAt) : undefined } : null;
      process.stdout.write(JSON.stringify({ id: e.id, state: e.state, due: when(e.dueAt), file: e.ref, pid: e.pid, reason: e.reason, task: shown }, (_k, v) => (typeof v === "bigint" ? String(v) : v), 2) + "\n");
      return 0;
    }
    case "retry": {
      const store = await openDir(rest[0]);
      const which = rest[1];
      if (!which) throw new UsageError(`spool retry: give a task id or --failed (${USAGE})`);
      const n = await store.retryFailed(which === "--failed" ? "all" : which);
      if (n === 0 && which !== "--failed") { process.stderr.write(`mulefarm: no failed task ${which} in ${store.address}\n`); return 1; }
      process.stdout.write(`${n} failed task(s) queued again\n`);
      return 0;
    }
    case "purge": {
      const store = await openDir(rest[0]);
      if (rest[1] !== "--failed") throw new UsageError(`spool purge: only --failed can be purged (${USAGE})`);
      const n = await store.purgeFailed();
      process.stdout.write(`${n} failed task(s) deleted\n`);
      return 0;
    }
    default:
      throw new UsageError(cmd ? `spool: unknown command "${cmd}" (${USAGE})` : USAGE);
  }
}
