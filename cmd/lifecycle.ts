// Acting on a running instance from outside, as uWSGI and PM2 users do:
// uWSGI's `--reload PIDFILE` / `--stop PIDFILE` (a Unix signal to the master
// whose pid is in the file), and `mulefarm reload|stop|status --stats ADDR`
// (through the instance's own control socket, found via its stats server).
import { readFileSync } from "node:fs";
import { MulefarmError, UsageError, refused } from "../core/errors.ts";
import { writeOut } from "../core/log.ts";
import { controlRequest, readStats, statsArgs } from "./control.ts";

/** `--reload PIDFILE` (SIGHUP: graceful reload) or `--stop PIDFILE` (SIGTERM: graceful stop). */
export function signalPidfile(action: "reload" | "stop", file: string): number {
  let text: string;
  try { text = readFileSync(file, "utf8"); } catch (e: any) { throw new UsageError(`--${action}: cannot read pid file ${file}: ${e.code ?? e.message}`); }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 1) throw new UsageError(refused(`--${action}: pid file ${file} must hold a process id`, text.trim().slice(0, 40)));
  const sig = action === "reload" ? "SIGHUP" : "SIGTERM";
  try { process.kill(pid, sig); } catch (e: any) { throw new MulefarmError(`--${action}: no instance with pid ${pid} (from ${file}): ${e.code === "ESRCH" ? "not running" : e.code ?? e.message}`, 1); }
  writeOut(`sent ${sig} to the master (pid ${pid})\n`);
  return 0;
}

const USAGE = "usage: mulefarm reload|stop|status --stats ADDR (status: [--watch [S]])";

/** `mulefarm reload|stop|status --stats ADDR`; `status --watch [S]` redraws every S seconds (default 2), PM2's monit in spirit. */
export async function controlCommand(action: "reload" | "stop" | "status", args: string[]): Promise<number> {
  const { watch, others } = action === "status" ? watchArg(args) : { watch: 0, others: args };
  const { stats, rest } = statsArgs(others, action, USAGE);
  if (rest.length) throw new UsageError(`${action}: unexpected argument "${rest[0]}" (${USAGE})`);
  if (!stats) throw new UsageError(`${action}: --stats ADDR is required (the instance's stats server; ${USAGE})`);
  if (action === "status") {
    const table = async () => {
      const doc = await readStats(stats);
      if (typeof doc?.pid !== "number") throw new UsageError(`${stats} is not the stats server of a mulefarm instance (its document has no pid)`);
      return statusTable(doc);
    };
    if (!watch) {
      writeOut(await table());
      return 0;
    }
    // Until interrupted (or the instance goes away: the error ends it with its one line).
    for (;;) {
      const t = await table();
      writeOut(`\x1b[H\x1b[2J${new Date().toISOString()}  ${stats}  (every ${watch} s, Ctrl-C to quit)\n\n${t}`);
      await new Promise((r) => setTimeout(r, watch * 1000));
    }
  }
  await controlRequest(stats, action, {});
  writeOut(`${action === "reload" ? "graceful reload" : "graceful stop"} requested (instance at ${stats})\n`);
  return 0;
}

/** `--watch [S]` / `--watch=S` among a status command's arguments. */
function watchArg(args: string[]): { watch: number; others: string[] } {
  const others: string[] = [];
  let watch = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a !== "--watch" && !a.startsWith("--watch=")) { others.push(a); continue; }
    let v = a.startsWith("--watch=") ? a.slice(8) : "2";
    if (a === "--watch" && /^[\d.]+$/.test(args[i + 1] ?? "")) v = args[++i];
    watch = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || !(watch >= 0.1 && watch <= 3600)) throw new UsageError(`status: --watch must be a number of seconds from 0.1 to 3600: got "${v}"`);
  }
  return { watch, others };
}

/** One line per process, PM2's `ls` in spirit: role, id, pid, status, respawns, uptime, memory, work done. */
function statusTable(doc: any): string {
  const rows: string[][] = [["ROLE", "ID", "PID", "STATUS", "RESPAWNS", "UPTIME", "RSS MB", "DONE"]];
  const mb = (b: number) => (b ? (b / 1048576).toFixed(1) : "-");
  const now = Date.now() / 1000;
  const up = (since: number | undefined) => (since ? duration(now - since) : "-");
  rows.push(["master", "-", String(doc.pid), "running", "-", up(doc.started_on), mb(doc.rss ?? 0), "-"]);
  for (const w of doc.workers ?? []) rows.push(["worker", String(w.id), String(w.pid || "-"), w.status, String(w.respawn_count ?? 0), up(w.pid ? w.last_spawn : 0), mb(w.rss), `${w.requests ?? 0} requests`]);
  for (const m of doc.mules ?? []) rows.push([m.sandboxed ? "light mule" : "mule", String(m.id), String(m.pid || "-"), m.status, String(m.respawn_count ?? 0), up(m.pid ? m.last_spawn : 0), mb(m.rss), m.messages_received === undefined ? "-" : `${m.messages_received} messages`]);
  for (const s of doc.spoolers ?? []) {
    (s.pids ?? []).forEach((pid: number, i: number) => {
      const st = pid ? (s.running ? "busy" : "idle") : s.statuses?.[i] ?? "dead";
      rows.push(["spooler", s.dir, String(pid || "-"), st, "-", "-", "-", `${s.tasks ?? 0} tasks (dir), ${s.pending ?? 0} pending`]);
    });
  }
  const width = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((v, c) => v.padEnd(width[c])).join("  ").trimEnd()).join("\n") + "\n";
}

/** 42s, 5m12s, 3h04m, 2d07h: two units at most, like `ps` and PM2. */
function duration(s: number): string {
  s = Math.max(0, Math.floor(s));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor(s / 3600) % 24).padStart(2, "0")}h`;
}
