// `mulefarm spool ls DIR | show DIR ID | retry DIR ID|--failed | purge DIR --failed
//  | cancel DIR ID | pause DIR | resume DIR`: inspect, repair and steer a spool, running or not.
import { UsageError } from "../core/errors.ts";
import { openStore } from "../core/spooler/open.ts";
import type { SpoolStore, TaskEntry } from "../core/spooler/store.ts";
import { openControl } from "../core/spooler/control/open.ts";
import { cancelIn, laneCounts, setPausedIn, storeOf } from "../core/spooler/control/ops.ts";

const USAGE = "usage: mulefarm spool ls DIR | show DIR ID | retry DIR ID|--failed | purge DIR --failed | cancel DIR ID | pause DIR | resume DIR";
/** The result TTL a cancel from the CLI gives a pending task's TaskCancelled (the default of --spooler-result-ttl). */
const CLI_RESULT_TTL_MS = 300_000;

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
      const control = await openControl(store.address);
      const [paused, lanes] = await Promise.all([control.isPaused(), laneCounts(store.address, control)]).finally(() => control.close());
      for (const { group, counts: c } of lanes) process.stdout.write(`group ${group}: ${c.pending} pending, ${c.running} running, ${c.failed} failed, ${c.quarantined} quarantined\n`);
      process.stdout.write(`${l.pending.count} pending, ${l.running.count} running, ${l.failed.count} failed, ${l.quarantined.count} quarantined in ${store.address} (spooler-sync ${store.sync})${paused ? " (paused)" : ""}\n`);
      if (paused) process.stdout.write(`paused: no task starts until \`mulefarm spool resume ${store.address}\`\n`);
      return 0;
    }
    case "show": {
      if (rest.length !== 2) throw new UsageError(`spool show: give a spool directory and a task id (${USAGE})`);
      const [dir, id] = rest;
      const main = await openDir(dir, true);
      const control = await openControl(main.address);
      const store = await storeOf(main, control, id);
      const e = await store.get(id);
      const [progress, result] = await Promise.all([control.getProgress(id), control.getResult(id)]).finally(() => control.close());
      if (!e && result) {
        process.stdout.write(JSON.stringify({ id, state: result.state, result }, (_k, v) => (typeof v === "bigint" ? String(v) : v), 2) + "\n");
        return 0;
      }
      if (!e) { process.stderr.write(`mulefarm: no task ${id} in ${store.address}\n`); return 1; }
      const t = e.task;
      const shown = t ? { ...t, body: t.body ? `<${t.body.length} bytes>` : undefined, at: t.at ? when(t.at) : undefined, enqueuedAt: when(t.enqueuedAt), failedAt: t.failedAt ? when(t.failedAt) : undefined } : null;
      process.stdout.write(JSON.stringify({ id: e.id, state: e.state, due: when(e.dueAt), file: e.ref, pid: e.pid, reason: e.reason, progress, task: shown }, (_k, v) => (typeof v === "bigint" ? String(v) : v), 2) + "\n");
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
    case "cancel": {
      if (rest.length !== 2) throw new UsageError(`spool cancel: give a spool directory and a task id (${USAGE})`);
      const store = await openDir(rest[0], true);
      const control = await openControl(store.address);
      try {
        const was = await cancelIn(store, control, rest[1], CLI_RESULT_TTL_MS);
        if (!was) { process.stderr.write(`mulefarm: no pending or running task ${rest[1]} in ${store.address}\n`); return 1; }
        process.stdout.write(was === "pending" ? `task ${rest[1]} cancelled (it will not run)\n` : `task ${rest[1]} is running: its AbortSignal fires now\n`);
        return 0;
      } finally { await control.close(); }
    }
    case "pause":
    case "resume": {
      if (rest.length !== 1) throw new UsageError(`spool ${cmd}: give a spool directory (${USAGE})`);
      const store = await openDir(rest[0], true);
      const control = await openControl(store.address);
      try { await setPausedIn(control, cmd === "pause"); } finally { await control.close(); }
      process.stdout.write(`${store.address} ${cmd === "pause" ? "paused: running tasks finish, no new task starts" : "resumed"}\n`);
      return 0;
    }
    default:
      throw new UsageError(cmd ? `spool: unknown command "${cmd}" (${USAGE})` : USAGE);
  }
}
