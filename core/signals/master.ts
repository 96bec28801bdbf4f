// The master's signal engine: the table (number → target), routing of raised
// signals to target processes, and the clocks that raise them: timers and
// red-black timers (timer-clock.ts), cron schedules (cron-clock.ts), file
// monitors and file triggers. Handlers run in the target processes; the
// master only routes.
import { existsSync } from "node:fs";
import type { Config } from "../config.ts";
import { InvalidSignal, SignalQueueFull, UsageError } from "../errors.ts";
import type { Channel } from "../ipc/channel.ts";
import { ALL_LIGHT_MULES, Kind } from "../ipc/types.ts";
import type { MasterApi, MasterEngine, Proc, Slot } from "../engine.ts";
import { parseCron2Line, parseCronLine } from "../cron/command-line.ts";
import { checkSignalNumber, parseTarget, type SignalTarget } from "./targets.ts";
import { startFileTriggers, watchBursts } from "./file-triggers.ts";
import { CronClock, type SignalCron } from "./cron-clock.ts";
import { TimerClock, type TimerKind } from "./timer-clock.ts";
import { pathSig, sigSeconds } from "./option-specs.ts";
import { putU32le, u32le } from "../base/bytes.ts";

export const TARGET_QUEUE = 65536; // signals in flight to one process before raises are refused
const PENDING_FOR_DEAD = 1024; //    signals kept for a dead process until it is respawned
const ONE_BYTE = Array.from({ length: 256 }, (_, n) => Uint8Array.of(n)); // frames are copied as queued
const AT_BODY = new Uint8Array(9); // SignalAt body, reused (the channel copies it)
const AT_VIEW = new DataView(AT_BODY.buffer);

const DROP_LOG_MS = 10_000; //     at most one "no registered handler" line per number this often

const enum Status { Routed = 0, Full = 1, NoHandler = 2 }

interface Entry { target: SignalTarget; raised: number; delivered: number; refused: number; registrants: Set<number> }
interface FileMon { num: number; path: string; watcher: { close(): void }; fired: number }

/** A child's routing record: what it was sent and has not finished, by number. */
interface Rec {
  slot: Slot;
  channel: Channel;
  inflight: number;
  unfinished: Uint32Array;
  /** Of those, how many were already a second delivery (never a third: a handler that kills its process must not loop). */
  again: Uint32Array;
}
const AGAIN = 256; // in pendingDead: this number is a second delivery

export class SignalEngine implements MasterEngine {
  name = "signals";
  private table = new Map<number, Entry>();
  private alloc = new Map<string, number>();
  private live = new Map<Proc, Rec>();
  /** The live record of each slot's current process (routing looks here, without allocating). */
  private current = new Map<Slot, Rec>();
  private pendingDead = new Map<Slot, number[]>();
  private inflightByNum = new Map<number, number>();
  private timers = new TimerClock((num, why, at) => this.route(num, why, at));
  private crons: CronClock;
  private filemons = new Map<string, FileMon>();
  /** Dropped raises by number: when the last line was logged, and how many were not. */
  private drops = new Map<number, { at: number; more: number }>();
  private rr = 0;
  private lightRr = 0;
  private api!: MasterApi;
  private triggers: ReturnType<typeof startFileTriggers> | null = null;
  /** Told of every routed signal (plugins' onSignal). */
  readonly observers: Array<(num: number) => void> = [];

  constructor(private config: Config) {
    this.crons = new CronClock(config, {
      raise: (num, why) => this.route(num, why),
      running: (num) => (this.inflightByNum.get(num) ?? 0) > 0,
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
      this.addFileMonitor(num, path);
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
    const rec: Rec = { slot, channel, inflight: 0, unfinished: new Uint32Array(256), again: new Uint32Array(256) };
    channel.on(Kind.SignalRaise, (body) => this.onRaise(channel, body));
    // Sent straight to a target that died before finishing them (peer.ts): already delivered once.
    channel.on(Kind.SignalReraise, (body) => {
      const pid = u32le(body, 0);
      for (const n of body.subarray(4)) this.reraise(n, pid);
    });
    // Raised straight at their target (core/signals/peer.ts): only counted here.
    channel.on(Kind.SignalDirect, (body) => {
      for (const n of body) {
        const e = this.table.get(n);
        if (e) { e.raised++; e.delivered++; }
      }
    });
    channel.on(Kind.SignalDone, (body) => {
      rec.inflight -= body.length;
      for (const n of body) {
        this.inflightByNum.set(n, (this.inflightByNum.get(n) ?? 1) - 1);
        if (rec.unfinished[n]) rec.unfinished[n]--;
        if (rec.again[n] > rec.unfinished[n]) rec.again[n] = rec.unfinished[n];
      }
    });
    if (slot.current !== proc) return;
    // A target counts once it is ready (app and --import modules loaded, so
    // its handlers are registered): until then its signals wait, as for a dead one.
    const up = () => {
      if (slot.current !== proc || channel.closed) return;
      this.live.set(proc, rec);
      this.current.set(slot, rec);
      // Signals that waited for this slot while it was dead or starting.
      const waiting = this.pendingDead.get(slot);
      if (waiting) {
        this.pendingDead.delete(slot);
        for (const n of waiting) this.deliverTo(rec, n % AGAIN, n >= AGAIN);
      }
    };
    if (proc.ready) up();
    else proc.onReady.push(up);
  }

  detach(slot: Slot, proc: Proc) {
    const rec = this.live.get(proc);
    if (!rec) return;
    this.live.delete(proc);
    if (this.current.get(rec.slot) === rec) this.current.delete(rec.slot);
    // What it had not finished (still unread in its socket, or its handler
    // running) goes to its successor, once.
    let again = 0, dropped = 0;
    for (let n = 0; n < 256; n++) {
      const k = rec.unfinished[n];
      if (!k) continue;
      this.inflightByNum.set(n, (this.inflightByNum.get(n) ?? k) - k);
      const seen = Math.min(k, rec.again[n]);
      dropped += seen;
      for (let i = seen; i < k; i++, again++) this.keepForDead(slot, n + AGAIN);
    }
    if (again) this.api.log(`${slot.role} ${slot.id} (pid ${proc.pid}) left ${again} signal(s) unfinished: they go to its successor`);
    if (dropped) this.api.log(`${slot.role} ${slot.id} (pid ${proc.pid}) left ${dropped} signal(s) unfinished that were already delivered twice: dropped`);
  }

  requests = {
    "signal.register": (slot: Slot, a: { num: number; target: string }) => this.register(slot, a.num, a.target),
    "signal.alloc": (_slot: Slot, a: { key: string }) => this.allocate(a.key),
    "signal.timer": (_s: Slot, a: { num: number; seconds: number; iterations?: number; kind: TimerKind }) => this.timers.add(a.num, a.seconds, a.iterations ?? 0, a.kind),
    "signal.cron": (_s: Slot, a: SignalCron) => this.crons.addSignal(a),
    "signal.filemon": (_s: Slot, a: { num: number; path: string }) => this.addFileMonitor(a.num, a.path),
    "signal.raise": (_s: Slot, a: { num: number }) => this.raiseFromOutside(a.num, "control"),
    "signal.registered": (_s: Slot, a: { num: number }) => this.table.has(a.num),
  };

  /** A raise from outside the instance (control socket, another instance): true, or why it was refused. */
  raiseFromOutside(num: unknown, why: string): true {
    const st = this.route(checkSignalNumber(num), why);
    if (st === Status.NoHandler) throw new InvalidSignal(`signal ${num} has no registered handler`);
    if (st === Status.Full) throw new SignalQueueFull(`signal ${num} refused: the target's signal queue is full`);
    return true;
  }

  private register(slot: Slot, num: number, targetText: string) {
    checkSignalNumber(num);
    const target = parseTarget(targetText, this.config);
    const e = this.table.get(num);
    if (e && e.target.text !== target.text) {
      throw new InvalidSignal(`signal ${num} is already registered for target "${e.target.text}": cannot register it for "${target.text}"`);
    }
    if (!e) this.table.set(num, { target, raised: 0, delivered: 0, refused: 0, registrants: new Set([slot.current?.pid ?? 0]) });
    else e.registrants.add(slot.current?.pid ?? 0);
    return true;
  }

  /** The same key gets the same number in every process: free numbers from 255 down. */
  private allocate(key: string): number {
    const got = this.alloc.get(key);
    if (got !== undefined) return got;
    const used = new Set([...this.table.keys(), ...this.alloc.values()]);
    for (let n = 255; n >= 0; n--) {
      if (!used.has(n)) {
        this.alloc.set(key, n);
        return n;
      }
    }
    throw new InvalidSignal("no free signal number left (all 256 are registered)");
  }

  // ------------------------------------------------------------- routing

  private touched = new Set<Channel>();
  private batching = false;

  private onRaise(from: Channel, body: Uint8Array) {
    // One ack frame per batch: runs of equal status.
    const out: number[] = [];
    this.batching = true;
    for (const num of body) out.push(this.route(num, "raise"));
    this.batching = false;
    // Signals are latency-sensitive: write now, once per batch, not at the end of the turn.
    for (const c of this.touched) c.flush();
    this.touched.clear();
    const ack: number[] = [];
    for (let i = 0; i < out.length;) {
      let j = i;
      while (j < out.length && out[j] === out[i]) j++;
      ack.push(out[i], j - i);
      i = j;
    }
    const buf = new Uint8Array(ack.length / 2 * 5);
    for (let k = 0; k < ack.length; k += 2) { buf[k / 2 * 5] = ack[k]; putU32le(buf, k / 2 * 5 + 1, ack[k + 1]); }
    from.send(Kind.SignalAck, buf);
    from.flush();
  }

  /**
   * One line for a dropped signal, then at most one every DROP_LOG_MS per
   * number with the count: a fast --timer with no handler would otherwise
   * write a line per tick.
   */
  private logDrop(num: number, why: string): void {
    const now = Date.now();
    const d = this.drops.get(num);
    if (d && now - d.at < DROP_LOG_MS) { d.more++; return; }
    const more = d?.more ? ` (and ${d.more} more since the last such line)` : "";
    this.drops.set(num, { at: now, more: 0 });
    this.api.log(`signal ${num} (${why}) has no registered handler: dropped${more}`);
  }

  /**
   * A signal sent straight to process `deadPid` (a one-process target) that it
   * did not finish before it went away: its successor gets it as a second
   * delivery. The raiser may tell before the master has seen the death: then
   * it waits for the successor instead of going to the dying process.
   */
  private reraise(num: number, deadPid: number) {
    const t = this.table.get(num)?.target;
    const slot = t?.id !== undefined ? this.api.slot(t.kind as "worker" | "mule", t.id) : undefined;
    if (slot && deadPid && slot.current?.pid === deadPid) return this.keepForDead(slot, num + AGAIN);
    if (this.route(num, "raised again", undefined, true) === Status.Full) this.api.log(`signal ${num}: raised again after its target went away, refused: the queue of its successor is full`);
  }

  /** Routes one raised signal; returns its status for the raiser. `again`: a second delivery (one-process targets only). */
  route(num: number, why: string, at?: number, again = false): Status {
    for (const o of this.observers) o(num);
    const e = this.table.get(num);
    if (!e && this.observers.length) return Status.Routed; // a plugin takes it
    if (!e) {
      this.logDrop(num, why);
      return Status.NoHandler;
    }
    e.raised++;
    const t = e.target;
    if (t.id !== undefined) {
      // One named process (workerN, muleN): the hot path, no allocation.
      const slot = this.api.slot(t.kind as "worker" | "mule", t.id) ?? this.lightMuleHost(t.id);
      if (!slot) {
        this.api.log(`signal ${num}: no process for ${t.text}: dropped`);
        return Status.NoHandler;
      }
      const r = this.current.get(slot);
      if (!r) { this.keepForDead(slot, again ? num + AGAIN : num); return Status.Routed; }
      if (r.inflight >= TARGET_QUEUE) { e.refused++; return Status.Full; }
      this.deliverTo(r, num, again, at);
      return Status.Routed;
    }
    const ofRole = (role: string) => [...this.current.values()].filter((r) => r.slot.role === role);
    let chosen: Rec[] = [];
    const deadSlots: Slot[] = [];
    switch (t.kind) {
      case "worker":
        chosen = this.leastBusy(ofRole(t.kind));
        break;
      case "mule":
        // One mule: a process mule if any runs, else a sandboxed light mule (its host picks which in deliverTo).
        chosen = this.leastBusy(ofRole("mule"));
        if (!chosen.length) chosen = this.leastBusy(ofRole("mulehost"));
        break;
      case "workers": case "mules": case "spoolers": {
        const role = t.kind.slice(0, -1);
        // "mules" also means the sandboxed light mules: each host runs the signal in all of its own.
        const slots = t.kind === "mules" ? [...this.api.slotsOf("mule"), ...this.api.slotsOf("mulehost")] : this.api.slotsOf(role as any);
        for (const slot of slots) {
          const r = this.current.get(slot);
          if (r) chosen.push(r); else deadSlots.push(slot);
        }
        break;
      }
      case "active-workers": chosen = ofRole("worker"); break;
      case "spooler": {
        chosen = this.leastBusy(ofRole("spooler"));
        const parked = chosen.length ? undefined : this.api.slotsOf("spooler").find((s) => s.parked);
        if (parked) deadSlots.push(parked);
        break;
      }
      case "farm": {
        const ids = this.config.farms.find((f) => f.name === t.farm)?.mules ?? [];
        chosen = this.leastBusy(ofRole("mule").filter((r) => ids.includes(r.slot.id)));
        if (!chosen.length) chosen = this.leastBusy(ofRole("mulehost").filter((r) => this.lightIds(r.slot, t).length > 0));
        break;
      }
    }
    if (chosen.some((r) => r.inflight >= TARGET_QUEUE)) {
      e.refused++;
      return Status.Full;
    }
    for (const r of chosen) this.deliverTo(r, num, false, at);
    for (const s of deadSlots) this.keepForDead(s, num);
    if (!chosen.length && !deadSlots.length) this.api.log(`signal ${num}: no live process for target "${t.text}" yet: dropped`);
    return Status.Routed;
  }

  /** A signal for a process that is dead or respawning waits for its successor. */
  private keepForDead(s: Slot, num: number) {
    const q = this.pendingDead.get(s) ?? [];
    if (q.length < PENDING_FOR_DEAD) q.push(num);
    this.pendingDead.set(s, q);
    // A parked spooler (--spooler-cheap) is started for it, as for a due task.
    if (s.parked) this.api.spawn(s);
  }

  private leastBusy<T extends { inflight: number }>(rs: T[]): T[] {
    if (!rs.length) return [];
    this.rr++;
    let best = rs[this.rr % rs.length];
    for (const r of rs) if (r.inflight < best.inflight) best = r;
    return [best];
  }

  /** The light mules of host `slot` that target `t` may reach ("mule": all; a farm: its members). */
  private lightIds(slot: Slot, t: SignalTarget): number[] {
    const ids = (slot.meta.mules as Array<{ id: number }>).map((m) => m.id);
    if (t.kind !== "farm") return ids;
    const members = this.config.farms.find((f) => f.name === t.farm)?.mules ?? [];
    return ids.filter((id) => members.includes(id));
  }

  /** Round robin over a host's light mules for a one-mule target (a replay after the host died picks again). */
  private nextLight(slot: Slot, t: SignalTarget): number {
    const ids = this.lightIds(slot, t);
    return ids.length ? ids[this.lightRr++ % ids.length] : 0;
  }

  /** The slot of the process hosting sandboxed light mule `id`, if it is one. */
  private lightMuleHost(id: number): Slot | undefined {
    return this.api.slotsOf("mulehost").find((s) => (s.meta.mules as Array<{ id: number }>).some((m) => m.id === id));
  }

  /** `at`: run it at this time (performance.timeOrigin-based ms, the same in every process), not on arrival. */
  private deliverTo(r: Rec, num: number, again = false, at?: number) {
    r.inflight++;
    r.unfinished[num]++;
    if (again) r.again[num]++;
    this.inflightByNum.set(num, (this.inflightByNum.get(num) ?? 0) + 1);
    const e = this.table.get(num);
    if (e) e.delivered++;
    if (r.slot.role === "mulehost") {
      // Its light mules share one channel: say which one (the table has one target per number).
      // A timer tick sent ahead waits here for its time (the host has no runAt).
      const t = e?.target;
      const id = !t ? 0 : t.kind === "mules" ? ALL_LIGHT_MULES : t.id ?? this.nextLight(r.slot, t);
      const send = () => { if (!r.channel.closed) { r.channel.send(Kind.MuleHostSignal, Uint8Array.of(id & 0xff, id >> 8, num)); r.channel.flush(); } };
      if (at === undefined) send();
      else setTimeout(send, Math.max(0, at - (performance.timeOrigin + performance.now())));
      return;
    }
    if (at === undefined) r.channel.send(Kind.SignalDeliver, ONE_BYTE[num]);
    else {
      AT_VIEW.setUint8(0, num);
      AT_VIEW.setFloat64(1, at, true);
      r.channel.send(Kind.SignalAt, AT_BODY);
    }
    if (this.batching) this.touched.add(r.channel);
    else r.channel.flush();
  }

  // ------------------------------------------------------- file monitors

  private addFileMonitor(num: number, path: string) {
    checkSignalNumber(num);
    const key = `${num} ${path}`;
    if (this.filemons.has(key)) return true;
    if (!existsSync(path)) throw new UsageError(`file monitor path does not exist: ${path}`);
    const mon: FileMon = { num, path, fired: 0, watcher: watchBursts([path], () => { mon.fired++; this.route(num, `file monitor ${path}`); }) };
    this.filemons.set(key, mon);
    return true;
  }

  // --------------------------------------------------------------- stats

  stats(doc: Record<string, any>) {
    doc.signals = [...this.table].map(([num, e]) => ({ num, target: e.target.text, handlers: e.registrants.size, raised: e.raised, delivered: e.delivered, refused: e.refused, in_flight: this.inflightByNum.get(num) ?? 0 }));
    doc.timers = this.timers.stats();
    doc.crons = this.crons.stats();
    doc.file_monitors = [...this.filemons.values()].map((m) => ({ signal: m.num, path: m.path, fired: m.fired }));
    doc.file_triggers = this.triggers?.stats() ?? [];
  }

  async stop() {
    this.timers.stop();
    for (const m of this.filemons.values()) m.watcher.close();
    this.triggers?.stop();
    await this.crons.stop(this.config.reloadMercy);
  }
}
