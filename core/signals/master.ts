// The master's signal engine: wires the table (table.ts), the router
// (router.ts, with retention for dead targets) and the clocks that raise
// signals: timers and red-black timers (timer-clock.ts), cron schedules
// (cron-clock.ts), file monitors (file-monitors.ts) and file triggers.
// Handlers run in the target processes; the master only routes.
import { existsSync } from "node:fs";
import type { Config } from "../config.ts";
import { InvalidSignal, SignalQueueFull, UsageError } from "../errors.ts";
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import type { MasterApi, MasterEngine, Proc, Slot } from "../engine.ts";
import { parseCron2Line, parseCronLine } from "../cron/command-line.ts";
import { checkSignalNumber } from "./targets.ts";
import { startFileTriggers } from "./file-triggers.ts";
import { CronClock, type SignalCron } from "./cron-clock.ts";
import { TimerClock, type TimerKind } from "./timer-clock.ts";
import { pathSig, sigSeconds } from "./option-specs.ts";
import { u32le } from "../base/bytes.ts";
import { FileMonitors } from "./file-monitors.ts";
import { SignalRouter, Status } from "./router.ts";
import { SignalTable } from "./table.ts";
import { HandoffOrder } from "./handoff-order.ts";

export class SignalEngine implements MasterEngine {
  name = "signals";
  private table: SignalTable;
  private router: SignalRouter;
  private timers = new TimerClock((num, why, at) => this.route(num, why, at));
  private crons: CronClock;
  private filemons = new FileMonitors((num, why) => this.route(num, why));
  private api!: MasterApi;
  private triggers: ReturnType<typeof startFileTriggers> | null = null;
  private handoff = new HandoffOrder();
  /** Told of every routed signal (plugins' onSignal). */
  readonly observers: Array<(num: number) => void>;

  constructor(private config: Config) {
    this.table = new SignalTable(config);
    this.router = new SignalRouter(config, this.table, () => this.api);
    this.observers = this.router.observers;
    this.crons = new CronClock(config, {
      raise: (num, why) => this.route(num, why),
      running: (num) => this.router.inFlight(num) > 0,
      log: (line) => this.api.log(line),
    });
  }

  start(api: MasterApi) {
    this.api = api;
    const c = this.config;
    for (const t of c.timers) { const { num, seconds } = sigSeconds("timer", t); this.timers.add(num, seconds, 0, "timer"); }
    for (const t of c.rbtimers) { const { num, seconds } = sigSeconds("rbtimer", t); this.timers.add(num, seconds, 0, "rbtimer"); }
    for (const f of c.fsSignals) {
      const { path, num } = pathSig("fs-signal", f);
      if (!existsSync(path)) throw new UsageError(`--fs-signal path does not exist: ${path}`);
      this.filemons.add(num, path);
    }
    this.triggers = startFileTriggers(
      { touchReload: c.touchReloads, fsReload: c.fsReloads, touchSignal: c.touchSignals.map((t) => pathSig("touch-signal", t)) },
      { raise: (num, why) => void this.route(num, why), reload: (why, roles) => { this.api.log(`${why} changed: reloading`); this.api.reload(roles ?? undefined); } },
    );
    for (const line of c.crons) this.crons.addCommand(`command ${line}`, { ...parseCronLine(line), overlap: "skip" });
    for (const line of c.cron2s) this.crons.addCommand(`command2 ${line}`, parseCron2Line(line));
  }

  // ------------------------------------------------------------ children

  attach(slot: Slot, proc: Proc, channel: Channel) {
    const rec = this.router.record(slot, proc, channel);
    channel.on(Kind.SignalRaise, (body) => this.router.onRaise(channel, body));
    // Sent straight to a target that died before finishing them (peer.ts): already delivered once.
    channel.on(Kind.SignalReraise, (body) => {
      const pid = u32le(body, 0);
      const nums = body.slice(4);
      this.handoff.reraise(pid, () => { for (const n of nums) this.router.reraise(n, pid); });
    });
    // Raised straight at their target (core/signals/peer.ts): only counted here.
    channel.on(Kind.SignalDirect, (body) => this.table.countDirect(body));
    channel.on(Kind.SignalDone, (body) => this.router.done(rec, body));
    if (slot.current !== proc) return;
    // A target counts once it is ready (app and --import modules loaded, so
    // its handlers are registered): until then its signals wait, as for a dead one.
    const up = () => {
      if (slot.current !== proc || channel.closed) return;
      this.router.up(rec);
    };
    if (proc.ready) up();
    else proc.onReady.push(up);
  }

  detach(slot: Slot, proc: Proc) {
    this.handoff.death(proc.pid, () => this.router.down(slot, proc));
  }

  requests = {
    "signal.register": (slot: Slot, a: { num: number; target: string }) => this.table.register(slot, a.num, a.target),
    "signal.alloc": (_slot: Slot, a: { key: string }) => this.table.allocate(a.key),
    "signal.timer": (_s: Slot, a: { num: number; seconds: number; iterations?: number; kind: TimerKind }) => this.timers.add(a.num, a.seconds, a.iterations ?? 0, a.kind),
    "signal.cron": (_s: Slot, a: SignalCron) => this.crons.addSignal(a),
    "signal.filemon": (_s: Slot, a: { num: number; path: string }) => this.filemons.add(a.num, a.path),
    "signal.raise": (_s: Slot, a: { num: number }) => this.raiseFromOutside(a.num, "control"),
    "signal.registered": (_s: Slot, a: { num: number }) => this.table.has(a.num),
    "signal.parked": () => ({ parked: this.router.parked.list(), total: this.router.parked.total, max_redeliveries: this.config.signalMaxRedeliveries }),
    "signal.resend": (_s: Slot, a: { ids?: number[] }) => this.router.resend(Array.isArray(a?.ids) ? a.ids.map(Number) : []),
  };

  /** Routes one raised signal (timers, cron, file monitors, plugins); returns its status for the raiser. */
  route(num: number, why: string, at?: number): Status {
    return this.router.route(num, why, at);
  }

  /** A raise from outside the instance (control socket, another instance): true, or why it was refused. */
  raiseFromOutside(num: unknown, why: string): true {
    const st = this.route(checkSignalNumber(num), why);
    if (st === Status.NoHandler) throw new InvalidSignal(`signal ${num} has no registered handler`);
    if (st === Status.Full) throw new SignalQueueFull(`signal ${num} refused: the target's signal queue is full`);
    return true;
  }

  // --------------------------------------------------------------- stats

  stats(doc: Record<string, any>) {
    doc.signals = this.table.stats((num) => this.router.inFlight(num));
    for (const s of doc.signals) s.parked = this.router.parkedByNum.get(s.num) ?? 0;
    doc.signal_parked = this.router.parked.length;
    doc.timers = this.timers.stats();
    doc.crons = this.crons.stats();
    doc.file_monitors = this.filemons.stats();
    doc.file_triggers = this.triggers?.stats() ?? [];
  }

  async stop() {
    this.timers.stop();
    this.filemons.stop();
    this.triggers?.stop();
    await this.crons.stop(this.config.reloadMercy);
  }
}
