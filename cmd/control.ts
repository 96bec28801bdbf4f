// Talks to a running master as a "control" client: finds its runtime dir
// through the stats server, proves ownership with the token file there, and
// sends requests over the master's own socket and protocol.
import { readFileSync } from "node:fs";
import { net } from "../core/base/lazy-builtins.ts";
import { connectUnix } from "../core/ipc/transport.ts";
import { join } from "node:path";
import { MulefarmError, UsageError } from "../core/errors.ts";
import { Channel } from "../core/ipc/channel.ts";
import { Kind } from "../core/ipc/types.ts";
import { parseAddr } from "../core/config.ts";

/** How long a stats server gets to send its document: something else listening there may never answer nor close. */
const STATS_TIMEOUT_MS = 5000;
const HTTP_ASK_MS = 200;

export function readStats(addr: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const s = addr.includes(":") ? (() => { const { host, port } = parseAddr("stats", addr); return net().createConnection(port, host === "0.0.0.0" ? "127.0.0.1" : host); })() : net().createConnection(addr);
    let data = "";
    const t = setTimeout(() => {
      s.destroy();
      reject(new MulefarmError(`the stats server at ${addr} did not answer within ${STATS_TIMEOUT_MS / 1000} s (is it a mulefarm --stats address?)`, 1));
    }, STATS_TIMEOUT_MS);
    // A plain stats server sends its document on connect; one started with
    // --stats-http waits for a request: ask if nothing came by then.
    const ask = setTimeout(() => s.write("GET / HTTP/1.0\r\n\r\n"), HTTP_ASK_MS);
    s.on("data", (d) => { clearTimeout(ask); data += d; });
    s.on("end", () => {
      clearTimeout(t);
      clearTimeout(ask);
      try { resolve(JSON.parse(data.slice(data.indexOf("{")))); } catch { reject(new UsageError(`${addr} did not answer with a stats document`)); }
    });
    s.on("error", (e: any) => { clearTimeout(t); clearTimeout(ask); reject(new UsageError(`cannot reach the stats server at ${addr}: ${e.code ?? e.message}`)); });
  });
}

export async function controlRequest(statsAddr: string, op: string, args: unknown): Promise<unknown> {
  const doc = await readStats(statsAddr);
  const dir = doc?.runtime_dir;
  if (typeof dir !== "string") throw new UsageError(`${statsAddr} is not the stats server of a mulefarm instance (its document has no runtime_dir)`);
  let token: string;
  try { token = readFileSync(join(dir, "control.token"), "utf8"); } catch { throw new UsageError(`cannot read the control token of the instance at ${statsAddr} (run as the same user)`); }
  const ch = new Channel(await connectUnix(join(dir, "master.sock")));
  await new Promise<void>((resolve, reject) => {
    ch.on(Kind.Init, () => resolve());
    ch.onClose(() => reject(new MulefarmError(`the instance at ${statsAddr} refused the control connection`, 1)));
    ch.sendObject(Kind.Hello, { role: "control", id: 0, pid: process.pid, token });
  });
  try {
    return await ch.request(op, args, 5000);
  } finally {
    ch.close();
  }
}

/** A subcommand's `--stats ADDR` (or `--stats=ADDR`) and its other, positional, arguments; any other option is refused. */
export function statsArgs(args: string[], what: string, usage: string): { stats?: string; rest: string[] } {
  let stats: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--stats") stats = args[++i];
    else if (a.startsWith("--stats=")) stats = a.slice(8);
    else if (!a.startsWith("-")) rest.push(a);
    else throw new UsageError(`${what}: unexpected argument "${a}" (${usage})`);
  }
  return { stats, rest };
}
