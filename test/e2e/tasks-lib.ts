// An instance whose worker spools the tasks of test/fixtures/tasks/tasks.ts
// into one spooler, on the file store or on Redis (each Redis instance its
// own redis-server, from test/redis-lib.ts).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, start, stats, tmp, until, type Instance } from "./lib.ts";
import { startRedis, type RedisServer } from "../redis-lib.ts";

export type StoreKind = "file" | "redis";
export const STORES: StoreKind[] = ["file", "redis"];

export interface TasksInstance {
  mf: Instance;
  out: string;
  /** The spooler's address (a directory or redis://…#tasks). */
  address: string;
  log(name: string): string[];
  get(path: string): Promise<any>;
  /** The stats document. */
  stats(): Promise<any>;
  /** Stops the instance (and its Redis when it started one). */
  stop(): Promise<void>;
  /** Stops the instance only and starts it again on the same spool. */
  restart(): Promise<void>;
}

/** `shared`: a redis-server another instance started (this one then neither starts nor stops one). */
export async function startTasks(kind: StoreKind, extra: string[] = [], shared?: RedisServer): Promise<TasksInstance & { redis: RedisServer | null }> {
  const out = tmp("mf-tasks-");
  let redis: RedisServer | null = null;
  let address = join(out, "spool");
  if (kind === "redis") {
    redis = shared ?? await startRedis({ appendfsync: "always" });
    address = `${redis.url}#tasks`;
  }
  const owned = shared ? null : redis;
  const [port, sport] = [await freePort(), await freePort()];
  const launch = async () => {
    const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/tasks/app.ts", "--import", "test/fixtures/tasks/tasks.ts", "--spooler", address, "--stats", `127.0.0.1:${sport}`, ...extra], { env: { OUT: out } });
    await until(async () => {
      const d = await stats(sport);
      return d.workers.length && d.spoolers.length && d.workers.every((w: any) => w.status === "idle") && d.spoolers.every((s: any) => s.pid > 0);
    }, 30000, "ready");
    return mf;
  };
  let first: Instance;
  try { first = await launch(); } catch (e) { await owned?.stop(); throw e; }
  const inst: TasksInstance & { redis: RedisServer | null } = {
    redis,
    mf: first,
    out,
    address,
    log(name) { const f = join(out, `${name}.log`); return existsSync(f) ? readFileSync(f, "utf8").trim().split("\n").filter(Boolean) : []; },
    async get(path) { const r = await fetch(`http://127.0.0.1:${port}${path}`); const t = await r.text(); try { return JSON.parse(t); } catch { return t; } },
    stats: () => stats(sport),
    async stop() {
      try { await inst.mf.stop(); } finally { await owned?.stop(); }
    },
    async restart() {
      await inst.mf.stop();
      inst.mf = await launch();
    },
  };
  return inst;
}
