// Direct signal delivery to a single-process target (workerN, muleN): the
// raiser writes SignalDeliver frames straight to the target over a Unix
// socket the target listens on, with the same frame protocol and Channel as
// every other connection. One hop instead of two (raiser → master → target),
// which is most of a signal's latency on a busy machine.
//
// Used only when both ends agree: the target listens once it registered a
// handler naming itself, the raiser only for numbers it registered itself
// (the master confirmed the target). Anything else, a target that is not
// listening (yet), or one that died, goes through the master, which keeps
// signals for a dead target until its successor starts.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import { connectUnix, listenUnix } from "../ipc/transport.ts";
import { ctx, shutdownHooks } from "../runtime/context.ts";
import { putU32le, u32le } from "../base/bytes.ts";
import { unrefTimer } from "../base/timers.ts";

/** Direct signals a raiser may have unfinished at one target (as the master's per-target bound). */
export const PEER_WINDOW = 65536;
const RETRY_MS = 200;
const REPORT_MS = 50;

const pathOf = (target: string) => join(ctx.runtimeDir, `sig-${target}.sock`);

// --------------------------------------------------------------- target side

let listening = false;
const raisers = new Set<Channel>();

/** Starts accepting direct signals for this process (once). `deliver` runs one; it reports back through `from`. */
export function listenForPeers(deliver: (num: number, from: Channel) => void): void {
  if (listening || !ctx.runtimeDir) return;
  listening = true;
  const path = pathOf(`${ctx.role}${ctx.id}`);
  // A predecessor's socket file (it died, or is stopping after a reload): this process takes the name over.
  rmSync(path, { force: true });
  listenUnix(path, (t) => {
    const ch = new Channel(t);
    ch.unref(); // raisers' connections never keep this process alive
    raisers.add(ch);
    // Which process this is: if it dies, the master must tell it from its successor.
    const me = new Uint8Array(4);
    putU32le(me, 0, process.pid);
    ch.send(Kind.SignalPeer, me);
    ch.flush();
    ch.onClose(() => raisers.delete(ch));
    ch.on(Kind.SignalDeliver, (body) => { for (const n of body) deliver(n, ch); });
  }).then((l) => l.unref(), () => { listening = false; });
  // A graceful stop tells raisers what was finished, so they do not raise it again.
  shutdownHooks.push(() => {
    for (const ch of [...finished.keys()]) sendDone(ch);
    for (const ch of raisers) ch.flush();
  });
}

const finished = new Map<Channel, number[]>();
/**
 * A direct raiser needs to hear of finished signals only to free its window
 * and to know what to raise again if this process dies: it hears in batches
 * a few ms late. Reporting each at once cost a write here and a read there
 * per signal, just when the raiser was waking for the handler's own reply.
 */
const DIRECT_DONE_MS = 2;

/** Tells whoever delivered `num` on `to` (the master: this turn; a direct raiser: within DIRECT_DONE_MS) that it was handled. */
export function doneTo(to: Channel, num: number): void {
  let d = finished.get(to);
  if (!d) {
    finished.set(to, (d = []));
    if (!raisers.has(to)) queueMicrotask(() => sendDone(to));
    else unrefTimer(setTimeout(sendDone, DIRECT_DONE_MS, to));
  }
  d.push(num);
}

function sendDone(to: Channel) {
  const d = finished.get(to);
  if (!d) return;
  finished.delete(to);
  if (to.closed) return;
  to.send(Kind.SignalDone, Uint8Array.from(d));
  to.flush(); // already a batch, and late enough: not another turn
}

// --------------------------------------------------------------- raiser side

interface Peer {
  ch: Channel | null;
  /** The target process at the other end (0 until it said). */
  pid: number;
  connecting: boolean;
  retryAt: number;
  inflight: number;
  /** Sent and not reported finished, by number: raised again through the master if the target goes away. */
  unfinished: Uint32Array;
  batch: number[];
}
const peers = new Map<string, Peer>();
let reported: number[] = [];
let onGone: (target: string, nums: number[], pid: number) => void = () => {};

/** What to do with signals a direct target (process `pid`) did not finish before it went away (raise them through the master). */
export function whenPeerGone(fn: (target: string, nums: number[], pid: number) => void): void {
  onGone = fn;
}

/**
 * Raises `num` straight at `target` ("mule1", "worker2"). "sent" when
 * written, "full" when this process has PEER_WINDOW signals unfinished there,
 * "no" when there is no connection (yet): the caller goes through the master.
 */
export function raiseDirect(target: string, num: number): "sent" | "full" | "no" {
  let p = peers.get(target);
  if (!p) peers.set(target, (p = { ch: null, pid: 0, connecting: false, retryAt: 0, inflight: 0, unfinished: new Uint32Array(256), batch: [] }));
  if (!p.ch) {
    if (!p.connecting && Date.now() >= p.retryAt) connect(target, p);
    return "no";
  }
  if (p.inflight >= PEER_WINDOW) return "full";
  p.inflight++;
  p.unfinished[num]++;
  if (p.batch.length === 0) queueMicrotask(() => flush(p!));
  p.batch.push(num);
  report(num);
  return "sent";
}

function flush(p: Peer) {
  const b = p.batch;
  p.batch = [];
  if (!p.ch || p.ch.closed) return; // the target died this turn: like a signal in flight to a dying process
  p.ch.send(Kind.SignalDeliver, Uint8Array.from(b));
  p.ch.flush(); // latency matters more than coalescing: the batch is already one frame
}

function connect(target: string, p: Peer) {
  p.connecting = true;
  connectUnix(pathOf(target)).then((t) => {
    const ch = new Channel(t);
    ch.unref();
    ch.on(Kind.SignalPeer, (body) => { p.pid = u32le(body, 0); });
    ch.on(Kind.SignalDone, (body) => {
      p.inflight -= body.length;
      for (const n of body) if (p.unfinished[n]) p.unfinished[n]--;
    });
    ch.onClose(() => {
      if (p.ch === ch) p.ch = null;
      p.inflight = 0;
      // Unread in its socket, or its handler was running: the master hands them to its successor.
      const lost: number[] = [];
      for (let n = 0; n < 256; n++) for (; p.unfinished[n] > 0; p.unfinished[n]--) lost.push(n);
      if (lost.length) onGone(target, lost, p.pid);
      p.pid = 0;
      p.retryAt = Date.now() + RETRY_MS; // its successor listens again once it has registered its handlers
    });
    p.ch = ch;
  }, () => {
    p.retryAt = Date.now() + RETRY_MS; // not listening (yet)
  }).finally(() => { p.connecting = false; });
}

/**
 * The master counts raised/delivered per number in its stats: tell it in
 * batches, off the latency path (a frame per signal would wake the master
 * just when the target needs the CPU).
 */
function report(num: number) {
  if (reported.length === 0) {
    const t = setTimeout(() => {
      const r = reported;
      reported = [];
      ctx.channel?.send(Kind.SignalDirect, Uint8Array.from(r));
    }, REPORT_MS);
    unrefTimer(t);
  }
  reported.push(num);
}
