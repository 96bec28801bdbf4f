/**
 * The processes of `--cron`/`--cron2` commands: each run is `/bin/sh -c` in
 * a session of its own (so harakiri and stop reach its whole group), with the
 * instance's output (or the --logto file). The master's cron clock decides
 * when; this keeps track of what is running, kills a run that outlives its
 * harakiri, and ends every run when the master stops.
 *
 * @example
 * const cmds = new CronCommands(log);
 * cmds.run("line 1", "echo hi", 10); // pid; cmds.count("line 1") === 1 while it runs
 * await cmds.stopAll(10);            // SIGTERM, then SIGKILL after 10 s
 */
import { logFileFd } from "../log.ts";
import { childProcess } from "../base/lazy-builtins.ts";
import { tracing } from "../trace/state.ts";

export class CronCommands {
  /** Runs still going, per cron line (its key): pid → its exit. */
  private running = new Map<string, Map<number, Promise<void>>>();
  private startedAt = new Map<number, number>();

  constructor(private log: (msg: string) => void) {}

  /** How many runs of the line `key` are going. */
  count(key: string): number {
    return this.running.get(key)?.size ?? 0;
  }

  /** The pid of the latest run of the line `key` still going, or -1 (for the stats). */
  latestPid(key: string): number {
    const m = this.running.get(key);
    return m?.size ? [...m.keys()].at(-1)! : -1;
  }

  /** Unix seconds the latest run of the line `key` still going started, or 0 (uWSGI's started_at). */
  latestStart(key: string): number {
    const pid = this.latestPid(key);
    return pid > 0 ? this.startedAt.get(pid) ?? 0 : 0;
  }

  /** Starts one run of the line `key`; `harakiriS` > 0 kills its process group after that many seconds. */
  run(key: string, command: string, harakiriS: number | undefined): number {
    const t0 = Date.now();
    const out = logFileFd() ?? "inherit";
    const traced = tracing ? tracing.cronCommand(key, command) : null;
    const child = childProcess().spawn("/bin/sh", ["-c", command], { detached: true, stdio: ["ignore", out, out], env: traced?.env });
    const pid = child.pid!;
    traced?.started(pid);
    this.log(`[cron] running "${command}" (pid ${pid})`);
    let harakiri: ReturnType<typeof setTimeout> | undefined;
    if (harakiriS && harakiriS > 0) {
      harakiri = setTimeout(() => {
        this.log(`*** HARAKIRI ON CRON "${command}" (pid ${pid}) after ${harakiriS} s ***`);
        try { process.kill(-pid, "SIGKILL"); } catch { /* gone */ }
      }, harakiriS * 1000);
    }
    let runs = this.running.get(key);
    if (!runs) this.running.set(key, (runs = new Map()));
    let exited!: () => void;
    runs.set(pid, new Promise((r) => (exited = r)));
    this.startedAt.set(pid, Math.floor(t0 / 1000));
    child.once("exit", (code, sig) => {
      traced?.end(code, sig);
      clearTimeout(harakiri);
      runs!.delete(pid);
      this.startedAt.delete(pid);
      exited();
      this.log(`[cron] "${command}" (pid ${pid}) ${sig ? `killed by ${sig}` : `exited with code ${code}`} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });
    return pid;
  }

  /** Every run still going gets SIGTERM (its process group), then SIGKILL after `mercyS`: none outlives the master. */
  async stopAll(mercyS: number): Promise<void> {
    const runs = [...this.running.values()].flatMap((m) => [...m.entries()]);
    if (!runs.length) return;
    const signalAll = (sig: NodeJS.Signals) => { for (const [pid] of runs) try { process.kill(-pid, sig); } catch { /* gone */ } };
    signalAll("SIGTERM");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const mercy = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), mercyS * 1000)));
    const all = Promise.all(runs.map(([, exited]) => exited)).then(() => true);
    if (!(await Promise.race([all, mercy]))) {
      this.log(`cron commands still running after ${mercyS} s: killed`);
      signalAll("SIGKILL");
      await Promise.race([all, new Promise((r) => setTimeout(r, 1000))]);
    }
    clearTimeout(timer);
  }
}
