// The master side of mule messaging: bounded queues (one per mule, one per
// farm, one shared), credit-based delivery to mules, acks to senders, and
// redelivery of in-flight messages when a mule dies (at-least-once).
import type { Config } from "../config.ts";
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import type { MasterApi, MasterEngine, Proc, Slot } from "../master/types.ts";
import { Deque } from "./deque.ts";
import { MSG_HEADER, Payload, Source, Target, u32 } from "./wire.ts";

interface Msg { src: number; farm: number; type: number; payload: Uint8Array }
interface Parked { target: number; index: number; msg: Msg }

class Queue {
  q = new Deque<Msg>();
  constructor(readonly name: string) {}
}

interface Conn {
  slot: Slot;
  proc: Proc;
  channel: Channel;
  credit: number;
  inflight: Deque<Msg>;
  programmed: boolean;
  farms: number[];
}

interface Sender {
  channel: Channel;
  pendingAck: number;
  ackScheduled: boolean;
  parked: Deque<Parked>;
}

export class MuleEngine implements MasterEngine {
  name = "mules";
  private own = new Map<number, Queue>();
  private sharedPlain = new Queue("shared");
  private sharedFunc = new Queue("mulefunc");
  private farms: Queue[];
  private conns = new Map<number, Conn>(); // mule id → live connection
  private senders = new Map<Channel, Sender>();
  private parkedSenders = new Set<Sender>();
  private received = new Map<number, number>();
  private rr = 0;
  private limit: number;
  private api!: MasterApi;

  constructor(private config: Config) {
    this.limit = config.muleQueue;
    for (const m of config.mules) this.own.set(m.id, new Queue(`mule${m.id}`));
    this.farms = config.farms.map((f) => new Queue(f.name));
  }

  start(api: MasterApi) {
    this.api = api;
  }

  attach(slot: Slot, proc: Proc, channel: Channel) {
    const sender: Sender = { channel, pendingAck: 0, ackScheduled: false, parked: new Deque() };
    this.senders.set(channel, sender);
    channel.on(Kind.MuleSend, (body) => this.onSend(sender, body));
    channel.onClose(() => this.senders.delete(channel));
    if (slot.role !== "mule") return;
    const def = this.config.mules.find((m) => m.id === slot.id)!;
    const farms: number[] = [];
    this.config.farms.forEach((f, i) => { if (f.mules.includes(slot.id)) farms.push(i); });
    const conn: Conn = { slot, proc, channel, credit: 0, inflight: new Deque(), programmed: def.spec !== null, farms };
    channel.on(Kind.MuleCredit, (body) => {
      const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
      this.onCredit(conn, v.getUint32(0, true), v.getUint32(4, true));
    });
    // Only the slot's current process takes messages.
    if (slot.current === proc) this.conns.set(slot.id, conn);
  }

  detach(slot: Slot, proc: Proc) {
    if (slot.role !== "mule") return;
    const conn = this.conns.get(slot.id);
    if (!conn || conn.proc !== proc) return;
    this.conns.delete(slot.id);
    // Whatever the dead mule had taken but not finished goes back in front.
    const back = conn.inflight.drain();
    if (back.length) {
      const own: Msg[] = [], shared: Msg[] = [], func: Msg[] = [];
      const farm = new Map<number, Msg[]>();
      for (const m of back) {
        if (m.src === Source.Own) own.push(m);
        else if (m.src === Source.Shared) (m.type === Payload.MuleFunc ? func : shared).push(m);
        else { if (!farm.has(m.farm)) farm.set(m.farm, []); farm.get(m.farm)!.push(m); }
      }
      this.own.get(slot.id)!.q.unshiftAll(own);
      this.sharedPlain.q.unshiftAll(shared);
      this.sharedFunc.q.unshiftAll(func);
      for (const [i, ms] of farm) this.farms[i].q.unshiftAll(ms);
      this.api.log(`mule ${slot.id} died with ${back.length} message(s) in flight: queued again for redelivery`);
      for (const c of this.conns.values()) this.pump(c);
    }
  }

  private onSend(sender: Sender, body: Uint8Array) {
    const target = body[0];
    const index = body[1] | (body[2] << 8);
    const msg: Msg = { src: 0, farm: 0, type: body[3], payload: body.subarray(MSG_HEADER) };
    if (sender.parked.length || !this.route(target, index, msg)) {
      sender.parked.push({ target, index, msg: { ...msg, payload: msg.payload.slice() } });
      this.parkedSenders.add(sender);
      return;
    }
    this.ack(sender, 1);
  }

  /** Puts a message in its queue (or straight to a mule with credit). False when the queue is full. */
  private route(target: number, index: number, msg: Msg): boolean {
    if (target === Target.Mule) {
      const q = this.own.get(index);
      if (!q) return true; // the sender validated ids; an unknown one can only come from a stale config
      msg.src = Source.Own;
      const conn = this.conns.get(index);
      if (conn && conn.credit > 0 && q.q.length === 0) {
        this.deliver(conn, msg);
        return true;
      }
      if (q.q.length >= this.limit) return false;
      q.q.push(msg);
      return true;
    }
    const q = target === Target.Farm ? this.farms[index] : msg.type === Payload.MuleFunc ? this.sharedFunc : this.sharedPlain;
    if (!q) return true;
    if (q.q.length >= this.limit) return false;
    msg.src = target === Target.Farm ? Source.Farm : Source.Shared;
    msg.farm = target === Target.Farm ? index : 0;
    q.q.push(msg);
    this.dispatchGroup(q, target === Target.Farm ? index : -1, msg.type);
    return true;
  }

  /** Hands queued group messages to member mules that have credit, rotating the start. */
  private dispatchGroup(q: Queue, farmIndex: number, type: number) {
    const ids = farmIndex >= 0 ? this.config.farms[farmIndex].mules : [...this.conns.keys()];
    const n = ids.length;
    for (let k = 0; k < n && q.q.length; k++) {
      const conn = this.conns.get(ids[(this.rr + k) % n]);
      if (!conn || conn.credit <= 0) continue;
      if (!conn.programmed && type !== Payload.MuleFunc && q !== this.sharedFunc) continue;
      while (conn.credit > 0 && q.q.length) {
        const m = q.q.peek()!;
        if (!conn.programmed && m.type !== Payload.MuleFunc) break;
        this.deliver(conn, q.q.shift()!);
      }
    }
    this.rr++;
  }

  private deliver(conn: Conn, m: Msg) {
    conn.credit--;
    conn.inflight.push(m);
    const n = m.payload.length;
    conn.channel.writer.frameWith(Kind.MuleDeliver, MSG_HEADER + n, (buf, _v, off) => {
      buf[off] = m.src;
      buf[off + 1] = m.farm & 0xff;
      buf[off + 2] = m.farm >> 8;
      buf[off + 3] = m.type;
      buf.set(m.payload, off + MSG_HEADER);
    });
  }

  private onCredit(conn: Conn, consumed: number, more: number) {
    for (let i = 0; i < consumed; i++) conn.inflight.shift();
    if (consumed) this.received.set(conn.slot.id, (this.received.get(conn.slot.id) ?? 0) + consumed);
    conn.credit += more;
    this.pump(conn);
    if (this.parkedSenders.size) this.unpark();
  }

  /** Fills a mule's credit: own queue first, then shared, then its farms (uWSGI's priority). */
  private pump(conn: Conn) {
    const own = this.own.get(conn.slot.id)!.q;
    while (conn.credit > 0 && own.length) this.deliver(conn, own.shift()!);
    while (conn.credit > 0 && this.sharedFunc.q.length) this.deliver(conn, this.sharedFunc.q.shift()!);
    if (conn.programmed) {
      while (conn.credit > 0 && this.sharedPlain.q.length) this.deliver(conn, this.sharedPlain.q.shift()!);
    }
    for (const fi of conn.farms) {
      const q = this.farms[fi].q;
      while (conn.credit > 0 && q.length) {
        if (!conn.programmed && q.peek()!.type !== Payload.MuleFunc) break;
        this.deliver(conn, q.shift()!);
      }
    }
  }

  private unpark() {
    for (const s of this.parkedSenders) {
      let n = 0;
      while (s.parked.length) {
        const p = s.parked.peek()!;
        if (!this.route(p.target, p.index, p.msg)) break;
        s.parked.shift();
        n++;
      }
      if (n) this.ack(s, n);
      if (!s.parked.length) this.parkedSenders.delete(s);
    }
  }

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
      const conn = this.conns.get(m.id);
      m.programmed = this.config.mules.find((d) => d.id === m.id)?.spec != null;
      m.queue = (this.own.get(m.id)?.q.length ?? 0) + (conn?.inflight.length ?? 0);
      m.messages_received = this.received.get(m.id) ?? 0;
      m.farms = this.config.farms.filter((f) => f.mules.includes(m.id)).map((f) => f.name);
    }
    doc.farms = this.config.farms.map((f, i) => ({ name: f.name, mules: f.mules, queue: this.farms[i].q.length }));
    doc.mule_shared_queue = this.sharedPlain.q.length + this.sharedFunc.q.length;
  }
}
