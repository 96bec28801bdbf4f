// Instances of mulefarm sharing one spool on a Redis, for the Redis spooler
// e2e tests: each instance has an HTTP worker (the redis-app fixture), P
// spooler processes on `address`, its own stats port and INSTANCE name; all
// append to one done.log in `out` (see test/fixtures/spooler/redis-tasks.ts).
import { existsSync, readFileSync } from "node:fs";
import { descendants, freePort, start, stats, until, type Instance } from "./lib.ts";

export interface RedisInstance {
  name: string; mf: Instance; port: number; sport: number;
  get(path: string): Promise<any>;
  /** SIGKILL of the master and every process under it, at once. */
  kill9(): void;
}

export async function startInstance(name: string, address: string, out: string, extra: string[] = []): Promise<RedisInstance> {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/spooler/redis-app.ts", "--import", "test/fixtures/spooler/redis-tasks.ts",
    "--spooler", address, "--stats", `127.0.0.1:${sport}`, ...extra], { env: { OUT: out, INSTANCE: name } });
  const http = extra.includes("--stats-http");
  await until(async () => {
    const d = await stats(sport, http);
    return d.workers[0].status === "idle" && d.spoolers[0].pids.every((p: number) => p > 0);
  }, 20000, `instance ${name} ready`);
  const get = async (path: string) => { const r = await fetch(`http://127.0.0.1:${port}${path}`); const t = await r.text(); try { return JSON.parse(t); } catch { return t; } };
  const kill9 = () => {
    const pids = [mf.pid, ...descendants(mf.pid)];
    for (const p of pids) { try { process.kill(p, "SIGKILL"); } catch { /* gone */ } }
  };
  return { name, mf, port, sport, get, kill9 };
}

export interface Run { kind: "S" | "E"; id: string; instance: string; pid: number; t: number }

/** Every line of done.log so far. */
export function runs(out: string): Run[] {
  const f = `${out}/done.log`;
  if (!existsSync(f)) return [];
  return readFileSync(f, "utf8").split("\n").filter(Boolean).map((l) => {
    const [kind, id, instance, pid, t] = l.split(" ");
    return { kind: kind as "S" | "E", id, instance, pid: Number(pid), t: Number(t) };
  });
}
