// The master's cron schedules: signal crons (add_cron, cron()) and command
// crons (--cron, --cron2), evaluated by croner through core/cron/schedule.ts.
// A run is skipped while the previous one is still going (overlap "skip"),
// and with catchUp a run missed while the master was down runs once, from a
// last-fired record kept beside the first spool dir.
import { join } from "node:path";
import type { Config } from "../config.ts";
import { oneLine } from "../errors.ts";
import { missedRun, parseCrontab, parseUwsgiCron, readLastFired, Schedule, writeLastFired } from "../cron/index.ts";
import type { Cron2Line } from "../cron/command-line.ts";
import { CronCommands } from "./cron-commands.ts";
import { checkSignalNumber } from "./targets.ts";

interface CronJob {
  num: number | null; command?: string; schedule: Schedule; overlap: "skip" | "allow"; catchUp: boolean; key: string;
  handle?: ReturnType<typeof setTimeout>; next: Date | null; skipped: number; fired: number;
  /** A command's own harakiri (--cron2 harakiri=S; 0: none), else --cron-harakiri. */
  harakiri?: number;
}

export interface SignalCron { num: number; fields?: number[]; expr?: string; tz?: string; overlap?: "skip" | "allow"; catchUp?: boolean }

export interface CronHost {
  /** Raises a signal cron's number. */
  raise(num: number, why: string): unknown;
  /** Whether a handler of `num` is still running somewhere (the overlap check). */
  running(num: number): boolean;
  log(line: string): void;
}

/**
 * @example
 * const crons = new CronClock(config, { raise: (n, why) => engine.route(n, why), running: (n) => false, log: console.log });
 * crons.addSignal({ num: 40, expr: "30 2 * * *", tz: "America/New_York" });
 */
export class CronClock {
  private jobs: CronJob[] = [];
  private commands: CronCommands;
  private lastFiredFile: string | null;
  private stopped = false;

  constructor(private config: Config, private host: CronHost) {
    this.lastFiredFile = config.spoolers.length ? join(config.spoolers[0], "state", "cron-last-fired.json") : null;
    this.commands = new CronCommands((m) => host.log(m));
  }

  /** A signal cron; every importing process registers it again: the same schedule is one job. */
  addSignal(a: SignalCron) {
    checkSignalNumber(a.num);
    const spec = a.expr !== undefined ? parseCrontab(a.expr, { tz: a.tz }) : parseUwsgiCron(...(a.fields as [number, number, number, number, number]), { tz: a.tz });
    const schedule = new Schedule(spec, { tz: a.tz });
    const key = `signal ${a.num} ${schedule.describe()}`;
    if (this.jobs.some((c) => c.key === key)) return true;
    const job: CronJob = { num: a.num, schedule, overlap: a.overlap ?? "skip", catchUp: a.catchUp ?? false, key, next: null, skipped: 0, fired: 0 };
    this.jobs.push(job);
    if (job.catchUp && this.lastFiredFile) {
      const last = readLastFired(this.lastFiredFile, key);
      const missed = last ? missedRun(schedule, last, new Date()) : null;
      if (missed) {
        this.host.log(`cron ${key}: running once for the run missed at ${missed.toISOString()}`);
        this.fire(job, missed);
      }
    }
    this.arm(job);
    return { next: job.next?.toISOString() ?? null };
  }

  /** A shell command on a schedule (--cron, --cron2). */
  addCommand(key: string, line: Cron2Line) {
    const { spec, command, overlap, harakiri } = line;
    const job: CronJob = { num: null, command, schedule: new Schedule(spec), overlap, harakiri, catchUp: false, key, next: null, skipped: 0, fired: 0 };
    this.jobs.push(job);
    this.arm(job);
  }

  private arm(job: CronJob) {
    if (this.stopped) return;
    job.next = job.schedule.next(new Date());
    if (!job.next) return;
    // setTimeout caps at ~24.8 days: re-arm in steps.
    const wait = Math.min(job.next.getTime() - Date.now(), 2 ** 31 - 1);
    job.handle = setTimeout(() => {
      if (job.next && Date.now() + 1 >= job.next.getTime()) this.fire(job, job.next);
      this.arm(job);
    }, Math.max(0, wait));
  }

  private fire(job: CronJob, at: Date) {
    const busy = job.num !== null ? this.host.running(job.num) : this.commands.count(job.key) > 0;
    if (busy && job.overlap === "skip") {
      job.skipped++;
      this.host.log(`cron ${job.key}: previous run still going, skipped the run of ${at.toISOString()}`);
      return;
    }
    job.fired++;
    if (job.num !== null) this.host.raise(job.num, "cron");
    else this.commands.run(job.key, job.command!, job.harakiri ?? this.config.cronHarakiri);
    if (this.lastFiredFile && job.catchUp) void writeLastFired(this.lastFiredFile, job.key, at).catch((e) => this.host.log(`cron: cannot record last run: ${oneLine(e)}`));
  }

  stats() {
    return this.jobs.map((c) => ({ signal: c.num, command: c.command ?? null, schedule: c.schedule.describe(), overlap: c.overlap, catch_up: c.catchUp, fired: c.fired, skipped: c.skipped, next: c.next?.toISOString() ?? null, pid: this.commands.latestPid(c.key), running: this.commands.count(c.key) }));
  }

  /** Stops the schedules; running commands get `mercy` seconds, then are killed. */
  async stop(mercy: number) {
    this.stopped = true;
    for (const c of this.jobs) clearTimeout(c.handle);
    await this.commands.stopAll(mercy);
  }
}
