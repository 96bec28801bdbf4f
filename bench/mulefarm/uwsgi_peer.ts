// Real uWSGI, started by a mulefarm driver beside a mulefarm server, for the
// cases that measure both in the same time window (alternating rounds):
// this VM's latency drifts within seconds, more than two separate runs of a
// workload can tell apart. Same command line and app as
// ../shared/bench/uwsgi/<workload>.py (the shared dir is BENCH_SHARED_BENCH,
// set by bench/run.sh, or ../shared/bench beside the repo).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cleanEnv, freePort, REPO, sleep, waitFor } from "./lib.ts";

const SHARED_BENCH = process.env.BENCH_SHARED_BENCH ?? resolve(REPO, "../shared/bench");

/** Why uWSGI cannot run beside mulefarm here, or null when it can. */
export function uwsgiUnavailable(): string | null {
  if (process.env.BENCH_SKIP_UWSGI === "1") return "BENCH_SKIP_UWSGI=1";
  if (!existsSync(join(SHARED_BENCH, "uwsgi/apps"))) return `no uWSGI apps in ${SHARED_BENCH}/uwsgi/apps`;
  const r = spawnSync("uwsgi", ["--version"], { encoding: "utf8" });
  if (r.status !== 0) return "uwsgi is not installed (bench/run.sh's uWSGI side installs it)";
  return null;
}

export class UwsgiPeer {
  port = 0;
  private proc: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), "mulefarm-bench-uwsgi-peer-"));
  cmd: string[] = [];

  /** `args` after uWSGI's harness prefix; {port} and {apps} are filled in. */
  constructor(private args: string[], private env: Record<string, string | number> = {}) {}

  async start(): Promise<this> {
    this.port = await freePort();
    const apps = join(SHARED_BENCH, "uwsgi/apps");
    this.cmd = ["uwsgi", "--plugin", "python3", "--master", "--logto", join(this.dir, "uwsgi.log"),
      ...this.args.map((a) => a.replaceAll("{port}", String(this.port)).replaceAll("{apps}", apps))];
    const out = openSync(join(this.dir, "out.log"), "a");
    this.proc = spawn(this.cmd[0], this.cmd.slice(1), { cwd: this.dir, env: cleanEnv(this.env), stdio: ["ignore", out, out], detached: true });
    closeSync(out);
    this.proc.once("error", () => {});
    await waitFor(async () => {
      try { await (await fetch(`http://127.0.0.1:${this.port}/`, { signal: AbortSignal.timeout(1000) })).arrayBuffer(); return true; } catch { return false; }
    }, 10, "uWSGI HTTP", 20);
    return this;
  }

  async getJson(path: string, timeoutS = 25): Promise<any> {
    const r = await fetch(`http://127.0.0.1:${this.port}${path}`, { signal: AbortSignal.timeout(timeoutS * 1000) });
    return JSON.parse(await r.text());
  }

  command(): string {
    return this.cmd.join(" ").replaceAll(this.dir, "$TMP").replaceAll(join(SHARED_BENCH, "uwsgi/apps"), "bench/uwsgi/apps").replace(`127.0.0.1:${this.port}`, "127.0.0.1:$PORT");
  }

  async stop(): Promise<void> {
    const pid = this.proc?.pid;
    if (pid) {
      const gone = new Promise<void>((r) => { if (this.proc!.exitCode !== null || this.proc!.signalCode !== null) r(); else this.proc!.once("exit", () => r()); });
      try { process.kill(-pid, "SIGINT"); } catch { /* gone */ }
      await Promise.race([gone, sleep(5000)]);
      try { process.kill(-pid, "SIGKILL"); } catch { /* gone */ }
    }
    this.proc = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
