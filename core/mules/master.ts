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
import { type Config, isLightMule } from "../config.ts";
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import type { MasterApi, MasterEngine, Proc, Slot } from "../engine.ts";
import { rmSync, statfsSync } from "node:fs";
import { join } from "node:path";
import { shmDir } from "../shm/index.ts";
import { Deque } from "../base/deque.ts";
import type { DirectInit } from "./direct.ts";
import { Inbox, type InboxInfo } from "./inbox.ts";
import { ringCapacityFor } from "./ring.ts";
import { MSG_HEADER, Payload, Source, Target, u32 } from "./wire.ts";
import { u16le, u32le } from "../base/bytes.ts";

interface Msg { src: number; farm: number; type: number; payload: Uint8Array }
interface Parked { target: number; index: number; msg: Msg }

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
}

interface Sender {
  channel: Channel;
  pendingAck: number;
  ackScheduled: boolean;
  parked: Deque<Parked>;
}

export class MuleEngine implements MasterEngine {
  name = "mules";
  private own = new Map<number, Deque<Msg>>();
  private shared = new Deque<Msg>();
  private funcs = new Deque<Msg>();
  private farmQ: Deque<Msg>[];
  private conns = new Map<number, Conn>(); // mule id → its live process
  private parkedSenders = new Set<Sender>();
  /** Accepted messages waiting in senders' park lists, by "target:index" (for the stats). */
  private parkedCount = new Map<string, number>();
  private received = new Map<number, number>();
  private rr = 0;
  private limit: number;
  private api!: MasterApi;
  /** Direct-message inboxes of programmed mules (shared memory), and every live child's channel by pid. */
  private inboxes = new Map<number, Inbox>();
  private direct: DirectInit = { inboxes: {} };
  private byPid = new Map<number, Channel>();

  constructor(private config: Config) {
    this.limit = config.muleQueue;
    for (const m of config.mules) this.own.set(m.id, new Deque());
    this.farmQ = config.farms.map(() => new Deque());
  }

  start(api: MasterApi) {
    this.api = api;
    const cfg = this.config;
    const receivers = cfg.mules.filter((m) => m.spec !== null && !isLightMule(m));
    if (!receivers.length) return;
    // One ring per sending process, twice over: during a reload a process and its successor overlap.
    const senders = (cfg.http ? cfg.processes : 0) + cfg.mules.length + cfg.spoolers.length * cfg.spoolerProcesses + 1;
    const rings = Math.min(256, 2 * senders + 2);
    // Bounds as the master's queues: --mule-queue messages per sender, whatever their size.
    let cap = ringCapacityFor(cfg.muleMsgSize, cfg.muleQueue);
    // Rings are sparse, but a busy one touches every page, and writing past a
    // full tmpfs is a SIGBUS (a container's /dev/shm is often 64 MB): keep all
    // of them within half of the free space, with smaller rings if need be.
    const min = ringCapacityFor(cfg.muleMsgSize, 0, 1 << 16);
    const budget = shmFreeBytes() / 2;
    while (cap > min && rings * cap * receivers.length > budget) cap /= 2;
    if (rings * cap * receivers.length > budget) {
      api.log(`mule messages go through the master: ${shmDir()} has too little free space for direct rings (${receivers.length} × ${rings} × ${cap} bytes)`);
      return;
    }
    for (const m of receivers) {
      const info: InboxInfo = { path: join(shmDir(), `mulefarm-${process.pid}-mule${m.id}`), rings, cap, maxCount: cfg.muleQueue };
      try {
        this.inboxes.set(m.id, Inbox.create(info));
        this.direct.inboxes[m.id] = info;
      } catch (e) {
        api.log(`mule ${m.id}: no direct rings (${(e as Error).message}): its messages go through the master`);
      }
    }
  }

  init(): Record<string, unknown> {
    return { direct: this.direct };
  }

  attach(slot: Slot, proc: Proc, channel: Channel) {
    const sender: Sender = { channel, pendingAck: 0, ackScheduled: false, parked: new Deque() };
    channel.on(Kind.MuleSend, (body) => this.onSend(sender, body));
    this.byPid.set(proc.pid, channel);
    // Direct messages: the master only passes wake-ups on, to whoever reads or writes the ring now.
    channel.on(Kind.MuleWake, (body) => {
      const id = body[0] | (body[1] << 8);
      this.relay(this.inboxes.get(id)?.consumer, Kind.MuleWake, body);
    });
    channel.on(Kind.MuleSpace, (body) => {
      const id = body[0] | (body[1] << 8);
      const ring = body[2] | (body[3] << 8);
      this.relay(this.inboxes.get(id)?.rings[ring]?.owner, Kind.MuleSpace, body.subarray(0, 2));
    });
    if (slot.role === "mulehost") return this.attachHost(slot, proc, channel);
    if (slot.role !== "mule") return;
    const def = this.config.mules.find((m) => m.id === slot.id)!;
    const farms: number[] = [];
    this.config.farms.forEach((f, i) => { if (f.mules.includes(slot.id)) farms.push(i); });
    const conn: Conn = { id: slot.id, slot, proc, channel, own: 0, group: 0, func: 0, inflight: new Deque(), inflightBytes: 0, programmed: def.spec !== null, farms, light: false };
    channel.on(Kind.MuleCredit, (body) => {
      this.onCredit(conn, u32le(body, 0), u32le(body, 4), u32le(body, 8), u32le(body, 12));
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
      const conn: Conn = { id: m.id, slot, proc, channel, own: 0, group: 0, func: 0, inflight: new Deque(), inflightBytes: 0, programmed: true, farms, light: true };
      byId.set(m.id, conn);
      this.conns.set(m.id, conn);
    }
    channel.on(Kind.MuleHostCredit, (body) => {
      const conn = byId.get(u16le(body, 0));
      if (conn) this.onCredit(conn, u32le(body, 2), u32le(body, 6), u32le(body, 10), u32le(body, 14));
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
    for (const [id, ib] of this.inboxes) {
      if (!ib.releaseAllOf(proc.pid)) continue;
      let n = 0;
      for (const r of ib.rings) n += r.handedOut();
      if (n) this.api.log(`mule ${id} (pid ${proc.pid}) died with ${n} direct message(s) in flight: they stay first in its rings for redelivery`);
    }
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
    const back = conn.inflight.drain();
    if (!back.length) return;
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
    const target = body[0];
    const index = body[1] | (body[2] << 8);
    const msg: Msg = { src: 0, farm: 0, type: body[3], payload: body.subarray(MSG_HEADER) };
    if (sender.parked.length || !this.route(target, index, msg)) {
      sender.parked.push({ target, index, msg: { ...msg, payload: msg.payload.slice() } });
      this.parkedSenders.add(sender);
      const k = `${target}:${index}`;
      this.parkedCount.set(k, (this.parkedCount.get(k) ?? 0) + 1);
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
    const own = this.own.get(c.id)!;
    const room = () => c.inflightBytes < INFLIGHT_BYTES;
    while (c.own > 0 && own.length && room()) { c.own--; this.deliver(c, own.shift()!); }
    while (c.func > 0 && this.funcs.length && room()) { c.func--; this.deliver(c, this.funcs.shift()!); }
    if (c.programmed) while (c.group > 0 && this.shared.length && room()) { c.group--; this.deliver(c, this.shared.shift()!); }
    for (const fi of c.farms) {
      const q = this.farmQ[fi];
      while (q.length && room()) {
        const isFunc = q.peek()!.type === Payload.MuleFunc;
        if (isFunc ? c.func <= 0 : c.group <= 0 || !c.programmed) break;
        if (isFunc) c.func--; else c.group--;
        this.deliver(c, q.shift()!);
      }
    }
  }

  private deliver(c: Conn, m: Msg) {
    c.inflight.push(m);
    c.inflightBytes += m.payload.length;
    const pre = c.light ? 2 : 0; // a light mule's host needs to know which mule it is for
    c.channel.writer.frameWith(c.light ? Kind.MuleHostDeliver : Kind.MuleDeliver, pre + MSG_HEADER + m.payload.length, (buf, _v, off) => {
      if (c.light) { buf[off] = c.id & 0xff; buf[off + 1] = c.id >> 8; }
      off += pre;
      buf[off] = m.src;
      buf[off + 1] = m.farm & 0xff;
      buf[off + 2] = m.farm >> 8;
      buf[off + 3] = m.type;
      buf.set(m.payload, off + MSG_HEADER);
    });
  }

  private onCredit(c: Conn, consumed: number, own: number, group: number, func: number) {
    for (let i = 0; i < consumed; i++) {
      const m = c.inflight.shift();
      if (m) c.inflightBytes -= m.payload.length;
    }
    if (consumed) this.received.set(c.id, (this.received.get(c.id) ?? 0) + consumed);
    c.own += own;
    c.group += group;
    c.func += func;
    this.pump(c);
    if (this.parkedSenders.size) this.unpark();
  }

  private unpark() {
    for (const s of this.parkedSenders) {
      let n = 0;
      while (s.parked.length) {
        const p = s.parked.peek()!;
        if (!this.route(p.target, p.index, p.msg)) break;
        s.parked.shift();
        const k = `${p.target}:${p.index}`;
        this.parkedCount.set(k, (this.parkedCount.get(k) ?? 1) - 1);
        n++;
      }
      if (n) this.ack(s, n);
      if (!s.parked.length) this.parkedSenders.delete(s);
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
      // Everything accepted for this mule: queued, parked behind a full queue, or pushed ahead.
      const ib = this.inboxes.get(m.id);
      m.queue = (this.own.get(m.id)?.length ?? 0) + (c?.inflight.length ?? 0) + (this.parkedCount.get(`${Target.Mule}:${m.id}`) ?? 0) + (ib?.queued() ?? 0);
      m.messages_received = (this.received.get(m.id) ?? 0) + (ib?.finished() ?? 0);
      m.farms = this.config.farms.filter((f) => f.mules.includes(m.id)).map((f) => f.name);
    }
    doc.farms = this.config.farms.map((f, i) => ({ name: f.name, mules: f.mules, queue: this.farmQ[i].length + (this.parkedCount.get(`${Target.Farm}:${i}`) ?? 0) }));
    doc.mule_shared_queue = this.shared.length + this.funcs.length;
  }

  stop() {
    for (const info of Object.values(this.direct.inboxes)) rmSync(info.path, { force: true });
  }
}

/** Free bytes where the shared-memory files go (Infinity when unknown). */
function shmFreeBytes(): number {
  try {
    const st = statfsSync(shmDir());
    return Number(st.bavail) * Number(st.bsize);
  } catch {
    return Infinity;
  }
}
