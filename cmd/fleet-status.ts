// `mulefarm status --redis URL [--json]`: every instance on that Redis, one
// line each (PM2's `ls` across machines), from the heartbeats they write
// (core/redis/fleet.ts). An instance drops out within 10 s of dying.
import { refused, UsageError } from "../core/errors.ts";
import { writeOut } from "../core/log.ts";
import { checkRedis, openRedis, shownUrl } from "../core/redis/client.ts";
import { listFleet } from "../core/redis/fleet.ts";
import { parseRedisUrl } from "../core/redis/url.ts";

const USAGE = "usage: mulefarm status --redis URL [--json | --watch [S]]";

export async function fleetStatusCommand(args: string[]): Promise<number> {
  let url: string | undefined;
  let json = false;
  let watch = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--json") json = true;
    else if (a === "--watch" || a.startsWith("--watch=")) {
      let v = a.startsWith("--watch=") ? a.slice(8) : "2";
      if (a === "--watch" && /^[\d.]+$/.test(args[i + 1] ?? "")) v = args[++i];
      watch = Number(v);
      if (!/^\d+(\.\d+)?$/.test(v) || !(watch >= 0.1 && watch <= 3600)) throw new UsageError(refused("status: --watch must be a number of seconds from 0.1 to 3600", v));
    }
    else if (a === "--redis") url = args[++i];
    else if (a.startsWith("--redis=")) url = a.slice(8);
    else throw new UsageError(`status: unexpected argument "${a}" (${USAGE})`);
  }
  if (!url) throw new UsageError(`status --redis needs a URL (${USAGE})`);
  const addr = parseRedisUrl(url, "--redis");
  await checkRedis(addr, "--redis");
  const c = await openRedis(addr, { name: `mf:status:${process.pid}` });
  try {
    const members = await listFleet(c, 5_000);
    if (json) {
      writeOut(JSON.stringify(members, null, 2) + "\n");
      return 0;
    }
    if (!watch) {
      writeOut(fleetTable(members));
      return 0;
    }
    // Until interrupted; a lost Redis ends it with its one line (RedisUnavailable).
    for (;;) {
      writeOut(`\x1b[H\x1b[2J${new Date().toISOString()}  ${shownUrl(addr)}  (every ${watch} s, Ctrl-C to quit)\n\n${fleetTable(await listFleet(c, 5_000))}`);
      await new Promise((r) => setTimeout(r, watch * 1000));
    }
  } finally {
    await c.close();
  }
}

export function fleetTable(members: Array<{ id: string; host: string; pid: number; version: string; started_on: number; stats: string | null; roles: Record<string, number>; queues: Record<string, number>; seen: number }>): string {
  const rows: string[][] = [["INSTANCE", "HOST", "PID", "VERSION", "UPTIME", "PROCESSES", "QUEUES", "SEEN", "STATS"]];
  const now = Date.now();
  for (const m of members) {
    const roles = Object.entries(m.roles).map(([r, n]) => `${n} ${r}${n === 1 ? "" : "s"}`).join(", ") || "-";
    const queues = Object.entries(m.queues).map(([q, n]) => `${q}: ${n}`).join(", ") || "-";
    rows.push([m.id, m.host, String(m.pid), m.version, duration(now / 1000 - m.started_on), roles, queues, `${Math.max(0, Math.round((now - m.seen) / 1000))}s ago`, m.stats ?? "-"]);
  }
  const width = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => r.map((v, c) => v.padEnd(width[c])).join("  ").trimEnd());
  return lines.join("\n") + `\n${members.length} instance${members.length === 1 ? "" : "s"}\n`;
}

function duration(s: number): string {
  s = Math.max(0, Math.floor(s));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor(s / 3600) % 24).padStart(2, "0")}h`;
}
