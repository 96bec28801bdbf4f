// The master side of mule messaging: bounded queues (one per mule, one per
// farm, a shared one for "first available programmed mule" and one for
// offloaded functions), credit-based delivery, acks to senders, and
// redelivery of in-flight messages when a mule dies (at-least-once).
//
// Credits, granted by each mule:
//   own   - messages of its own queue it may be sent ahead (a prefetch window);
//   group - shared/farm messages; granted only while the mule calls
//           getMessage(), so a mule that never reads takes none of them;
//   func  - offloaded functions, run by the mule's runtime on arrival.
import type { Config } from "../config.ts";
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import type { MasterApi, MasterEngine, Proc, Slot } from "../engine.ts";
import { rmSync } from "node:fs";
import { Deque } from "../base/deque.ts";
import { MasterRings, keptFiles, shmFreeBytes } from "./inboxes.ts";
import { Journal } from "./journal.ts";
import { trimHeapWhileRunning } from "./heap-trim.ts";
import { type Parked as ParkedMsg, ParkedStore } from "./parked.ts";
import { type Credit, type Delivered, Payload, Source, Target, deliverSize, putDeliver, readCredit, readMuleId, readSpace, sendIndex, sendPayload, sendTarget, sendType, u32 } from "./wire.ts";

/** A message in the master: who sent it, and how many of its holders died (poison messages are parked past --mule-max-redeliveries). */
interface Msg extends Delivered {
  from: number;
  tries: number;
  /** Its record in the journal (journal.ts), or -1. */
  j: number;
  /** Its last holder died: it is delivered alone (nothing else in flight to that mule) until finished, so a next death is its own. */
  suspect?: boolean;
}

/** A sender's message kept aside behind a full queue (accepted, not yet acknowledged). */
interface Aside { target: number; index: number; msg: Msg }

// Bytes a mule may have in flight, whatever its credit: big messages must not
// pile megabytes into one socket (the runtime's writes slow down sharply).
const INFLIGHT_BYTES = 1 << 20;

interface Conn {
  /** The mule id (a light mule shares its host's slot, so not slot.id). */
  id: number;
  slot: Slot;
  proc: Proc;
  channel: Channel;
  own: number;
  group: number;
  func: number;
  inflight: Deque<Msg>;
  inflightBytes: number;
  programmed: boolean;
  farms: number[];
  /** Set for a sandboxed light mule: its messages go to its host process, tagged with its id. */
  light: boolean;
  /** A suspect message is in flight: nothing more is sent until it is finished. */
  probation: boolean;
}

interface Sender {
  channel: Channel;
  pid: number;
  pendingAck: number;
  ackScheduled: boolean;
  aside: Deque<Aside>;
}

export class MuleEngine implements MasterEngine {
  name = "mules";
  private own = new Map<number, Deque<Msg>>();
  private shared = new Deque<Msg>();
  private funcs = new Deque<Msg>();
  private farmQ: Deque<Msg>[];
  private conns = new Map<number, Conn>(); // mule id → its live process
  private asideSenders = new Set<Sender>();
  /** Accepted messages kept aside in senders' lists, by "target:index" (for the stats). */
  private asideCount = new Map<string, number>();
  private received = new Map<number, number>();
  private rr = 0;
  private limit: number;
  private api!: MasterApi;
  /** Direct-message inboxes of programmed mules (shared memory: inboxes.ts), and every live child's channel by pid. */
  private rings: MasterRings;
  private byPid = new Map<number, Channel>();
  /** Poison messages set aside (core/mules/parked.ts). */
  readonly parked: ParkedStore;

  constructor(private config: Config) {
    this.limit = config.muleQueue;
    for (const m of config.mules) this.own.set(m.id, new Deque());
    this.farmQ = config.farms.map(() => new Deque());
    this.parked = new ParkedStore((line) => this.api.log(line));
    this.rings = new MasterRings(config, (muleId, pid, type, payload, from, tries) =>
      this.park({ src: Source.Own, farm: 0, type, payload, from, tries, j: -1 }, muleId, pid), (line) => this.api.log(line));
  }

  start(api: MasterApi) {
    this.api = api;
    this.rings.layout(api.log);
    this.openJournal();
    if (this.config.mules.length) this.stopTrim = trimHeapWhileRunning();
  }

  private stopTrim = () => {};

  /** The master path's journal (--pidfile only), and what a killed predecessor left in it, queued first. */
  private openJournal() {
    const keep = keptFiles(this.config);
    if (!keep) return;
    // Sparse: only the pages a flood goes through take memory; a quarter of the free space at most.
    let cap = JOURNAL_BYTES;
    while (cap > 1 << 20 && cap > shmFreeBytes() / 4) cap /= 2;
    try {
      const { journal, adopted } = Journal.open(keep("journal"), cap);
      this.journal = journal;
      if (!adopted) return;
      const live = journal.live();
      for (const r of live) {
        const msg: Msg = { src: 0, farm: 0, type: r.type, payload: r.payload, from: r.from, tries: 0, j: r.pos };
        if (!this.route(r.target, r.index, msg)) this.resendLater.push({ target: r.target, index: r.index, msg });
      }
      if (live.length) this.api.log(`${live.length} accepted message(s) of the master path survived the master's restart (--pidfile): they are delivered first`);
    } catch (e) {
      this.api.log(`no journal for the master path (${(e as Error).message}): its messages are lost if the master is killed`);
    }
  }

  private journal: Journal | null = null;

  init(): Record<string, unknown> {
    return { direct: this.rings.direct };
  }

  attach(slot: Slot, proc: Proc, channel: Channel) {
    const sender: Sender = { channel, pid: proc.pid, pendingAck: 0, ackScheduled: false, aside: new Deque() };
    channel.on(Kind.MuleSend, (body) => this.onSend(sender, body));
    this.byPid.set(proc.pid, channel);
    // Direct messages: the master only passes wake-ups on, to whoever reads or writes the ring now.
    channel.on(Kind.MuleWake, (body) => {
      this.relay(this.rings.get(readMuleId(body))?.consumer, Kind.MuleWake, body);
    });
    channel.on(Kind.MuleSpace, (body) => {
      const { muleId, ring } = readSpace(body);
      this.relay(this.rings.get(muleId)?.rings[ring]?.owner, Kind.MuleSpace, body.subarray(0, 2));
    });
    if (slot.role === "mulehost") return this.attachHost(slot, proc, channel);
    if (slot.role !== "mule") return;
    const def = this.config.mules.find((m) => m.id === slot.id)!;
    const farms: number[] = [];
    this.config.farms.forEach((f, i) => { if (f.mules.includes(slot.id)) farms.push(i); });
    const conn: Conn = { id: slot.id, slot, proc, channel, own: 0, group: 0, func: 0, inflight: new Deque(), inflightBytes: 0, programmed: def.spec !== null, farms, light: false, probation: false };
    channel.on(Kind.MuleCredit, (body) => {
      this.onCredit(conn, readCredit(body));
    });
    if (slot.current === proc) this.conns.set(slot.id, conn);
  }

  /** One channel, many light mules: credits arrive tagged with the mule id. */
  private attachHost(slot: Slot, proc: Proc, channel: Channel) {
    if (slot.current !== proc) return;
    const byId = new Map<number, Conn>();
    for (const m of slot.meta.mules as Array<{ id: number }>) {
      const farms: number[] = [];
      this.config.farms.forEach((f, i) => { if (f.mules.includes(m.id)) farms.push(i); });
      const conn: Conn = { id: m.id, slot, proc, channel, own: 0, group: 0, func: 0, inflight: new Deque(), inflightBytes: 0, programmed: true, farms, light: true, probation: false };
      byId.set(m.id, conn);
      this.conns.set(m.id, conn);
    }
    channel.on(Kind.MuleHostCredit, (body) => {
      const conn = byId.get(readMuleId(body));
      if (conn) this.onCredit(conn, readCredit(body, 2));
    });
  }

  private relay(pid: number | undefined, kind: number, body: Uint8Array) {
    const ch = pid ? this.byPid.get(pid) : undefined;
    if (!ch || ch.closed) return; // gone: its successor re-reads the rings when it starts
    ch.send(kind, body);
    ch.flush();
  }

  detach(slot: Slot, proc: Proc) {
    this.byPid.delete(proc.pid);
    this.rings.release(proc.pid);
    if (slot.role === "mulehost") {
      for (const m of slot.meta.mules as Array<{ id: number }>) this.detachOne(m.id, proc);
      return;
    }
    if (slot.role !== "mule") return;
    this.detachOne(slot.id, proc);
  }

  private detachOne(id: number, proc: Proc) {
    const conn = this.conns.get(id);
    if (!conn || conn.proc !== proc) return;
    this.conns.delete(id);
    // Whatever the dead mule had taken but not finished goes back in front.
    // The master cannot tell which of them it was handling (it hears of
    // finished ones in batches), so each counts one more death; past
    // --mule-max-redeliveries a message is parked. All of them go out alone
    // from now on (suspects), so a next death is charged to the one that
    // caused it, and a message that kills its mule every time is parked after
    // --mule-max-redeliveries + 1 deliveries.
    const all = conn.inflight.drain();
    if (!all.length) return;
    const back: Msg[] = [];
    all.forEach((m) => {
      m.tries++;
      m.suspect = true;
      if (m.tries > this.config.muleMaxRedeliveries) this.park(m, id, proc.pid);
      else back.push(m);
    });
    if (!back.length) { for (const c of this.conns.values()) this.pump(c); return; }
    const pick = (src: number, type?: number, farm?: number) =>
      back.filter((m) => m.src === src && (type === undefined || (type === Payload.MuleFunc) === (m.type === Payload.MuleFunc)) && (farm === undefined || m.farm === farm));
    this.own.get(id)!.unshiftAll(pick(Source.Own));
    this.shared.unshiftAll(pick(Source.Shared, Payload.String));
    this.funcs.unshiftAll(pick(Source.Shared, Payload.MuleFunc));
    this.farmQ.forEach((q, i) => q.unshiftAll(pick(Source.Farm, undefined, i)));
    this.api.log(`mule ${id} (pid ${proc.pid}) died with ${back.length} message(s) in flight: queued again for redelivery`);
    for (const c of this.conns.values()) this.pump(c);
  }

  private onSend(sender: Sender, body: Uint8Array) {
    const target = sendTarget(body);
    const index = sendIndex(body);
    const type = sendType(body), payload = sendPayload(body);
    const j = this.journal ? this.journal.append(target, index, type, sender.pid, payload) : -1;
    if (j < 0 && this.journal?.fullNow) this.api.log(`the master path's journal is full: messages accepted until room is made are lost if the master is killed`);
    const msg: Msg = { src: 0, farm: 0, type, payload, from: sender.pid, tries: 0, j };
    if (sender.aside.length || !this.route(target, index, msg)) {
      sender.aside.push({ target, index, msg: { ...msg, payload: msg.payload.slice() } });
      this.asideSenders.add(sender);
      const k = `${target}:${index}`;
      this.asideCount.set(k, (this.asideCount.get(k) ?? 0) + 1);
      return;
    }
    this.ack(sender, 1);
  }

  /** Queues a message (or hands it straight to a mule with credit). False when its queue is full. */
  private route(target: number, index: number, msg: Msg): boolean {
    let q: Deque<Msg> | undefined;
    if (target === Target.Mule) {
      msg.src = Source.Own;
      q = this.own.get(index);
    } else if (target === Target.Farm) {
      msg.src = Source.Farm;
      msg.farm = index;
      q = this.farmQ[index];
    } else {
      msg.src = Source.Shared;
      q = msg.type === Payload.MuleFunc ? this.funcs : this.shared;
    }
    if (!q) return true; // senders validate targets; a stale one has nowhere to go
    if (q.length >= this.limit) return false;
    q.push(msg);
    if (target === Target.Mule) {
      const c = this.conns.get(index);
      if (c) this.pump(c);
    } else {
      const ids = target === Target.Farm ? this.config.farms[index].mules : [...this.conns.keys()];
      const n = ids.length;
      this.rr = (this.rr + 1) % 1_000_000;
      for (let k = 0; k < n && q.length; k++) {
        const c = this.conns.get(ids[(this.rr + k) % n]);
        if (c) this.pump(c);
      }
    }
    return true;
  }

  /** Fills a mule's credits: own queue first, then offloaded functions, shared, farms (uWSGI's priority). */
  private pump(c: Conn) {
    if (c.probation) return;
    const own = this.own.get(c.id)!;
    const room = () => c.inflightBytes < INFLIGHT_BYTES;
    // A suspect goes out alone: only when nothing is in flight, and nothing after it until it is finished.
    const alone = (q: Deque<Msg>) => !q.peek()!.suspect || !c.inflight.length;
    const send = (q: Deque<Msg>) => {
      const m = q.shift()!;
      this.deliver(c, m);
      if (m.suspect) c.probation = true;
      return !m.suspect;
    };
    while (c.own > 0 && own.length && room() && alone(own)) { c.own--; if (!send(own)) return; }
    while (c.func > 0 && this.funcs.length && room() && alone(this.funcs)) { c.func--; if (!send(this.funcs)) return; }
    if (c.programmed) while (c.group > 0 && this.shared.length && room() && alone(this.shared)) { c.group--; if (!send(this.shared)) return; }
    for (const fi of c.farms) {
      const q = this.farmQ[fi];
      while (q.length && room() && alone(q)) {
        const isFunc = q.peek()!.type === Payload.MuleFunc;
        if (isFunc ? c.func <= 0 : c.group <= 0 || !c.programmed) break;
        if (isFunc) c.func--; else c.group--;
        if (!send(q)) return;
      }
    }
  }

  /** Sets a poison message aside: one log line naming the mule, the sender and the size. */
  private park(m: Msg, muleId: number, pid: number) {
    if (m.j >= 0) this.journal?.done(m.j);
    const holder = `mule ${muleId}`;
    const t = m.src === Source.Own ? Target.Mule : m.src === Source.Farm ? Target.Farm : Target.Shared;
    const i = t === Target.Mule ? muleId : t === Target.Farm ? m.farm : 0;
    const kind: ParkedMsg["kind"] = m.type === Payload.MuleFunc ? "mulefunc" : t === Target.Mule ? "mule" : t === Target.Farm ? "farm" : "shared";
    const targetText = t === Target.Mule ? `mule${i}` : t === Target.Farm ? `farm ${this.config.farms[i]?.name}` : "shared";
    const e = this.parked.add({ kind, target: targetText, holder, sender: m.from, size: m.payload.length, deliveries: m.tries, payload: m.payload.slice(), type: m.type, route: { target: t, index: i } });
    this.api.log(`${holder} (pid ${pid}) died holding a ${kind === "mulefunc" ? "mulefunc call" : "message"} from pid ${m.from || "unknown"} (${e.size} bytes, for ${targetText}) for the ${ordinal(m.tries)} time: parked as #${e.id} after ${this.config.muleMaxRedeliveries} redeliveries (--mule-max-redeliveries; see mulefarm mule parked)`);
  }

  /** Routes parked messages again (`mulefarm mule resend`): `ids`, or all. Returns how many. */
  private resend(ids: number[]): number {
    const list = this.parked.take(ids);
    for (const p of list) {
      const msg: Msg = { src: 0, farm: 0, type: p.type, payload: p.payload, from: p.sender, tries: 0, j: -1 };
      // A full queue takes it once there is room, as a sender's message kept aside.
      if (!this.route(p.route.target, p.route.index, msg)) this.resendLater.push({ target: p.route.target, index: p.route.index, msg });
    }
    return list.length;
  }

  private resendLater = new Deque<Aside>();

  requests = {
    "mule.parked": () => ({ parked: this.parked.list(), total: this.parked.total, max_redeliveries: this.config.muleMaxRedeliveries }),
    "mule.resend": (_s: Slot, a: { ids?: number[] }) => this.resend(Array.isArray(a?.ids) ? a.ids.map(Number) : []),
  };

  private deliver(c: Conn, m: Msg) {
    c.inflight.push(m);
    c.inflightBytes += m.payload.length;
    // A light mule's host needs to know which mule it is for.
    const lightId = c.light ? c.id : undefined;
    c.channel.writer.frameWith(c.light ? Kind.MuleHostDeliver : Kind.MuleDeliver, deliverSize(m, c.light), (buf, _v, off) => putDeliver(buf, off, m, lightId));
  }

  private onCredit(c: Conn, { consumed, own, group, func }: Credit) {
    for (let i = 0; i < consumed; i++) {
      const m = c.inflight.shift();
      if (!m) continue;
      c.inflightBytes -= m.payload.length;
      if (m.j >= 0) this.journal?.done(m.j);
    }
    if (c.probation && !c.inflight.length) c.probation = false;
    if (consumed) this.received.set(c.id, (this.received.get(c.id) ?? 0) + consumed);
    c.own += own;
    c.group += group;
    c.func += func;
    this.pump(c);
    if (this.asideSenders.size) this.takeAside();
    while (this.resendLater.length) {
      const p = this.resendLater.peek()!;
      if (!this.route(p.target, p.index, p.msg)) break;
      this.resendLater.shift();
    }
  }

  private takeAside() {
    for (const s of this.asideSenders) {
      let n = 0;
      while (s.aside.length) {
        const p = s.aside.peek()!;
        if (!this.route(p.target, p.index, p.msg)) break;
        s.aside.shift();
        const k = `${p.target}:${p.index}`;
        this.asideCount.set(k, (this.asideCount.get(k) ?? 1) - 1);
        n++;
      }
      if (n) this.ack(s, n);
      if (!s.aside.length) this.asideSenders.delete(s);
    }
  }

  /** Acknowledges accepted messages to their sender, once per turn. */
  private ack(s: Sender, n: number) {
    s.pendingAck += n;
    if (s.ackScheduled) return;
    s.ackScheduled = true;
    queueMicrotask(() => {
      s.ackScheduled = false;
      const count = s.pendingAck;
      s.pendingAck = 0;
      if (!s.channel.closed) s.channel.send(Kind.MuleSendAck, u32(count));
    });
  }

  stats(doc: Record<string, any>) {
    for (const m of doc.mules ?? []) {
      const c = this.conns.get(m.id);
      m.programmed = this.config.mules.find((d) => d.id === m.id)?.spec != null;
      // Everything accepted for this mule: queued, kept aside behind a full queue, or pushed ahead.
      const ib = this.rings.get(m.id);
      m.queue = (this.own.get(m.id)?.length ?? 0) + (c?.inflight.length ?? 0) + (this.asideCount.get(`${Target.Mule}:${m.id}`) ?? 0) + (ib?.queued() ?? 0);
      m.messages_received = (this.received.get(m.id) ?? 0) + (ib?.finished() ?? 0);
      m.farms = this.config.farms.filter((f) => f.mules.includes(m.id)).map((f) => f.name);
      m.parked = this.parked.countBy.get(`mule ${m.id}`) ?? 0; // poison messages it died holding, ever
    }
    // Poison messages kept now, and parked ever (mulefarm mule parked).
    doc.mule_parked = this.parked.length;
    doc.mule_parked_total = this.parked.total;
    doc.farms = this.config.farms.map((f, i) => ({ name: f.name, mules: f.mules, queue: this.farmQ[i].length + (this.asideCount.get(`${Target.Farm}:${i}`) ?? 0) }));
    doc.mule_shared_queue = this.shared.length + this.funcs.length;
  }

  stop() {
    this.stopTrim();
    this.rings.stop();
    if (this.journal) rmSync(this.journal.path, { force: true });
  }
}

/** The master path's journal: 64 MiB of sparse shared memory (a quarter of the free space at most). */
const JOURNAL_BYTES = 64 << 20;

const ordinal = (n: number) => (n === 1 ? "1st" : n === 2 ? "2nd" : n === 3 ? "3rd" : `${n}th`);
