// Each test that needs Redis starts its own redis-server (Debian's) on a free
// loopback port in a temp dir, and stops it by pid: tests never share one,
// never touch a system instance, and a killed test leaves nothing listening
// for the next (the server dies with its parent's process group only if asked,
// so stop() is always called from finally).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Fsync = "always" | "everysec" | "no" | "off";

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  pid: number;
  /** SIGTERM, then wait for exit (Redis writes nothing more on TERM with save ""). */
  stop(): Promise<void>;
  /** SIGKILL, as a crash: what is fsynced in the AOF is all that survives. */
  kill9(): Promise<void>;
  /** Start again on the same port and dir (so from the same AOF). */
  restart(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, "127.0.0.1");
    let buf = "";
    c.setTimeout(500, () => { c.destroy(); resolve(false); });
    c.on("connect", () => c.write("PING\r\n"));
    c.on("data", (b) => { buf += b; if (buf.includes("\r\n")) { c.destroy(); resolve(buf.startsWith("+PONG")); } });
    c.on("error", () => resolve(false));
  });
}

/**
 * appendfsync "off" means no AOF and no RDB: persistence off, as the Redis
 * benchmark's second case. Anything else turns the AOF on with that fsync.
 */
export async function startRedis(opts: { appendfsync?: Fsync; port?: number } = {}): Promise<RedisServer> {
  const fsync = opts.appendfsync ?? "always";
  const port = opts.port ?? await freePort();
  const dir = mkdtempSync(join(tmpdir(), "mf-redis-"));
  const args = [
    "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "",
    "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning",
    "--logfile", join(dir, "redis.log"),
    ...(fsync === "off" ? ["--appendonly", "no"] : ["--appendonly", "yes", "--appendfsync", fsync]),
  ];
  let child: ChildProcess;
  const launch = async () => {
    child = spawn("redis-server", args, { stdio: "ignore" });
    const deadline = Date.now() + 10_000;
    while (!(await ping(port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: see ${dir}/redis.log`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port} within 10 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await launch();
  const exited = () => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once("exit", () => r())));
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() { return child.pid!; },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) { child.kill("SIGTERM"); await exited(); }
      rmSync(dir, { recursive: true, force: true });
    },
    async kill9() { child.kill("SIGKILL"); await exited(); },
    async restart() { await launch(); },
  };
  return server;
}
