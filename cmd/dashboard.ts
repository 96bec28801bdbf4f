// `mulefarm dashboard --stats ADDR`: prints the live page's address with the
// instance's control token in its fragment (#token=...: a browser never sends
// a fragment to the server, so it is not in any request line or log), the
// token read from the runtime dir as its owner, like `mulefarm reload --stats`.
// Open it with: xdg-open "$(mulefarm dashboard --stats 127.0.0.1:9191)".
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../core/errors.ts";
import { writeOut } from "../core/log.ts";
import { readStats, statsArgs } from "./control.ts";

const USAGE = "usage: mulefarm dashboard --stats HOST:PORT (an instance started with --stats-http)";

export async function dashboardCommand(args: string[]): Promise<number> {
  const { stats, rest } = statsArgs(args, "dashboard", USAGE);
  if (rest.length) throw new UsageError(`dashboard: unexpected argument "${rest[0]}" (${USAGE})`);
  if (!stats) throw new UsageError(`dashboard: --stats HOST:PORT is required (${USAGE})`);
  if (!stats.includes(":")) throw new UsageError(`dashboard: the page is served on a TCP stats address: got "${stats}" (${USAGE})`);
  const doc = await readStats(stats);
  if (typeof doc?.runtime_dir !== "string") throw new UsageError(`${stats} is not the stats server of a mulefarm instance (its document has no runtime_dir)`);
  const host = stats.startsWith(":") || stats.startsWith("0.0.0.0:") ? `127.0.0.1:${stats.slice(stats.lastIndexOf(":") + 1)}` : stats;
  const r = await fetch(`http://${host}/metrics`, { method: "HEAD", signal: AbortSignal.timeout(5000) }).catch(() => null);
  if (!r?.ok) throw new UsageError(`dashboard: the stats server at ${stats} does not speak HTTP (start the instance with --stats-http)`);
  let token: string;
  try { token = readFileSync(join(doc.runtime_dir, "control.token"), "utf8").trim(); } catch { throw new UsageError(`dashboard: cannot read the control token of the instance at ${stats} (run as the same user)`); }
  writeOut(`http://${host}/#token=${token}\n`);
  return 0;
}
