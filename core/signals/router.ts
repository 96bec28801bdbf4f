// Routing raised signals to target processes: one named process (workerN,
// muleN: the hot path), the least busy of a kind, every process of a kind, a
// farm, a sandboxed light mule's host. The router keeps, per live target, what
// it was sent and has not finished, so that what a dying process leaves goes
// to its successor (retention.ts), at most --signal-max-redeliveries times
// (then it is parked, as a poison message: core/mules/parked.ts), and a raise
// is refused with SignalQueueFull when its target has TARGET_QUEUE signals in
// flight.
import type { Config } from "../config.ts";
import type { Channel } from "../ipc/channel.ts";
import { ALL_LIGHT_MULES, Kind } from "../ipc/types.ts";
import type { MasterApi, Proc, Slot } from "../engine.ts";
import { putU32le } from "../base/bytes.ts";
import { pidIsAlive } from "../base/process.ts";
import { Retention } from "./retention.ts";
import type { SignalTable } from "./table.ts";
import type { SignalTarget } from "./targets.ts";
import { ParkedStore } from "../mules/parked.ts";

export const TARGET_QUEUE = 65536; // signals in flight to one process before raises are refused
const ONE_BYTE = Array.from({ length: 256 }, (_, n) => Uint8Array.of(n)); // frames are copied as queued
const AT_BODY = new Uint8Array(9); // SignalAt body, reused (the channel copies it)
const AT_VIEW = new DataView(AT_BODY.buffer);

const DROP_LOG_MS = 10_000; //     at most one "no registered handler" line per number this often

/** What a raise got: routed (or kept for a dead target), refused (full), or no handler. */
export const Status = { Routed: 0, Full: 1, NoHandler: 2 } as const;
export type Status = (typeof Status)[keyof typeof Status];

/** A child's routing record: what it was sent and has not finished, by number. */
export interface Rec {
  slot: Slot;
  proc: Proc;
  channel: Channel;
  inflight: number;
  unfinished: Uint32Array;
  /** Of those, the redeliveries of the ones that were redelivered, by number (a handler that kills its process must not loop). */
  tries: Map<number, number[]>;
}

export class SignalRouter {
  private live = new Map<Proc, Rec>();
  /** The live record of each slot's current process (routing looks here, without allocating). */
  private current = new Map<Slot, Rec>();
  private retained = new Retention();
  private inflightByNum = new Map<number, number>();
  /** Dropped raises by number: when the last line was logged, and how many were not. */
  private drops = new Map<number, { at: number; more: number }>();
  /** Signals left unfinished by more than --signal-max-redeliveries dying processes. */
  readonly parked: ParkedStore;
  /** Parked ever, by number (the stats). */
  readonly parkedByNum = new Map<number, number>();
  private rr = 0;
  private lightRr = 0;
  private touched = new Set<Channel>();
  private batching = false;
  /** Told of every routed signal (plugins' onSignal). */
  readonly observers: Array<(num: number) => void> = [];

  constructor(private config: Config, private table: SignalTable, private api: () => MasterApi) {
    this.parked = new ParkedStore((line) => this.api().log(line), "signal");
  }

  /** Signals of number `num` delivered and not finished, over all processes. */
  inFlight(num: number): number {
    return this.inflightByNum.get(num) ?? 0;
  }

  // ------------------------------------------------------------ children

  /** A record for a child's channel (counted only once it is `up`). */
  record(slot: Slot, proc: Proc, channel: Channel): Rec {
    return { slot, proc, channel, inflight: 0, unfinished: new Uint32Array(256), tries: new Map() };
  }

  /** SignalDone: the target finished these. */
  done(rec: Rec, nums: Uint8Array): void {
    rec.inflight -= nums.length;
    for (const n of nums) {
      this.inflightByNum.set(n, (this.inflightByNum.get(n) ?? 1) - 1);
      if (rec.unfinished[n]) rec.unfinished[n]--;
      const t = rec.tries.get(n);
      // Which one finished is not said: keep the most redelivered ones counted.
      if (t && t.length > rec.unfinished[n]) {
        t.splice(t.indexOf(Math.min(...t)), 1);
        if (!t.length) rec.tries.delete(n);
      }
    }
  }

  /** The process is ready (its handlers registered): it takes signals, first those that waited for its slot. */
  up(rec: Rec): void {
    this.live.set(rec.proc, rec);
    this.current.set(rec.slot, rec);
    for (const [n, tries] of this.retained.take(rec.slot)) this.deliverTo(rec, n, tries);
  }

  /**
   * The process is gone: what it had not finished (still unread in its
   * socket, or its handler running) goes to its successor, unless a signal
   * was already redelivered --signal-max-redeliveries times: it is parked.
   */
  down(slot: Slot, proc: Proc): void {
    const rec = this.live.get(proc);
    if (!rec) return;
    this.live.delete(proc);
    if (this.current.get(rec.slot) === rec) this.current.delete(rec.slot);
    let again = 0, parked = 0;
    const max = this.config.signalMaxRedeliveries;
    for (let n = 0; n < 256; n++) {
      const k = rec.unfinished[n];
      if (!k) continue;
      this.inflightByNum.set(n, (this.inflightByNum.get(n) ?? k) - k);
      const redelivered = rec.tries.get(n) ?? [];
      for (let i = 0; i < k; i++) {
        const tries = (redelivered[i] ?? 0) + 1;
        if (tries > max) { this.park(slot, n, tries); parked++; } else { this.keepForDead(slot, n, tries); again++; }
      }
    }
    const api = this.api();
    if (again) api.log(`${slot.role} ${slot.id} (pid ${proc.pid}) left ${again} signal(s) unfinished: they go to its successor`);
    if (parked) api.log(`${slot.role} ${slot.id} (pid ${proc.pid}) left ${parked} signal(s) unfinished that were already delivered ${times(max + 1)}: parked (--signal-max-redeliveries ${max}; see mulefarm mule parked)`);
  }

  /** Sets a signal aside that `tries` dying processes left unfinished. */
  private park(slot: Slot, num: number, tries: number) {
    const target = this.table.get(num)?.target.text ?? `${slot.role}${slot.id}`;
    this.parked.add({ kind: "signal", target, holder: `${slot.role} ${slot.id}`, sender: 0, size: 0, deliveries: tries, payload: new Uint8Array(0), type: num, route: { target: 0, index: num } });
    this.parkedByNum.set(num, (this.parkedByNum.get(num) ?? 0) + 1);
  }

  /** Raises parked signals again (`mulefarm mule resend`): `ids`, or all. Returns how many. */
  resend(ids: number[]): number {
    const list = this.parked.take(ids);
    for (const p of list) this.route(p.type, "resent");
    return list.length;
  }

  // ------------------------------------------------------------- routing

  /** SignalRaise: routes a batch and answers with one ack frame (runs of equal status). */
  onRaise(from: Channel, body: Uint8Array): void {
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
    this.api().log(`signal ${num} (${why}) has no registered handler: dropped${more}`);
  }

  /**
   * A signal sent straight to process `deadPid` (a one-process target) that it
   * did not finish before it went away: its successor gets it as a second
   * delivery. The raiser's word and the master's own view of the death arrive
   * in either order, so it goes only to a process that surely is a successor:
   * its slot's current one, ready, not `deadPid`, and running. Anything else
   * (the master has not seen the death yet, the slot is being reloaded, the
   * raiser could not name the pid) waits for the slot's next ready process.
   */
  reraise(num: number, deadPid: number): void {
    const t = this.table.get(num)?.target;
    const slot = t?.id !== undefined ? this.api().slot(t.kind as "worker" | "mule", t.id) ?? this.lightMuleHost(t.id) : undefined;
    if (slot && this.config.signalMaxRedeliveries < 1) {
      this.api().log(`${slot.role} ${slot.id} (pid ${deadPid || "unknown"}) left signal ${num} (sent straight to it) unfinished: parked (--signal-max-redeliveries 0; see mulefarm mule parked)`);
      return this.park(slot, num, 1);
    }
    if (slot) {
      const r = this.current.get(slot);
      if (!r || r.proc !== slot.current || r.proc.pid === deadPid || !pidIsAlive(r.proc.pid, true)) return this.keepForDead(slot, num, 1);
    }
    if (this.route(num, "raised again", undefined, 1) === Status.Full) this.api().log(`signal ${num}: raised again after its target went away, refused: the queue of its successor is full`);
  }

  /** Routes one raised signal; returns its status for the raiser. `tries`: its redeliveries (one-process targets only). */
  route(num: number, why: string, at?: number, tries = 0): Status {
    for (const o of this.observers) o(num);
    const e = this.table.get(num);
    if (!e && this.observers.length) return Status.Routed; // a plugin takes it
    if (!e) {
      this.logDrop(num, why);
      return Status.NoHandler;
    }
    e.raised++;
    const t = e.target;
    const api = this.api();
    if (t.id !== undefined) {
      // One named process (workerN, muleN): the hot path, no allocation.
      const slot = api.slot(t.kind as "worker" | "mule", t.id) ?? this.lightMuleHost(t.id);
      if (!slot) {
        api.log(`signal ${num}: no process for ${t.text}: dropped`);
        return Status.NoHandler;
      }
      const r = this.current.get(slot);
      if (!r) { this.keepForDead(slot, num, tries); return Status.Routed; }
      if (r.inflight >= TARGET_QUEUE) { e.refused++; return Status.Full; }
      this.deliverTo(r, num, tries, at);
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
        const slots = t.kind === "mules" ? [...api.slotsOf("mule"), ...api.slotsOf("mulehost")] : api.slotsOf(role as any);
        for (const slot of slots) {
          const r = this.current.get(slot);
          if (r) chosen.push(r); else deadSlots.push(slot);
        }
        break;
      }
      case "active-workers": chosen = ofRole("worker"); break;
      case "spooler": {
        chosen = this.leastBusy(ofRole("spooler"));
        const parked = chosen.length ? undefined : api.slotsOf("spooler").find((s) => s.parked);
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
    for (const r of chosen) this.deliverTo(r, num, 0, at);
    for (const s of deadSlots) this.keepForDead(s, num, 0);
    if (!chosen.length && !deadSlots.length) api.log(`signal ${num}: no live process for target "${t.text}" yet: dropped`);
    return Status.Routed;
  }

  /** A signal for a process that is dead or respawning waits for its successor. */
  private keepForDead(s: Slot, num: number, tries: number) {
    this.retained.keep(s, num, tries);
    // A parked spooler (--spooler-cheap) is started for it, as for a due task.
    if (s.parked) this.api().spawn(s);
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
    return this.api().slotsOf("mulehost").find((s) => (s.meta.mules as Array<{ id: number }>).some((m) => m.id === id));
  }

  /** `at`: run it at this time (performance.timeOrigin-based ms, the same in every process), not on arrival. */
  private deliverTo(r: Rec, num: number, tries = 0, at?: number) {
    r.inflight++;
    r.unfinished[num]++;
    if (tries) {
      const t = r.tries.get(num);
      if (t) t.push(tries); else r.tries.set(num, [tries]);
    }
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
}

const times = (n: number) => (n === 1 ? "once" : n === 2 ? "twice" : `${n} times`);
