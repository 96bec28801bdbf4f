// A programmed mule's inbox of direct rings: one shared-memory file per mule
// holding `rings` SPSC rings (core/mules/ring.ts). A sending process claims
// one ring of the target mule for its whole life, so its messages stay in
// order; the mule reads all of them. The master creates the files, releases
// the rings and the consumer side of processes that die, and relays the two
// wake-ups (data for a sleeping mule, room for a waiting sender).
//
// Layout: [file header 128 B][ring headers, 128 B each][pad to 4 KiB][ring data, cap B each]
import { closeSync, openSync, readSync } from "node:fs";
import { pidIsAlive } from "../base/process.ts";
import { alignUp, mapShared } from "../shm/index.ts";
import { Ring, RING_HEADER_BYTES } from "./ring.ts";

/** What a process needs to open a mule's inbox (sent in the Init frame). */
export interface InboxInfo { path: string; rings: number; cap: number; maxCount: number }

const MAGIC = 0x6d62786d; // "mxbm"
const F_MAGIC = 0, F_CONSUMER = 1, F_SLEEP = 2, F_RINGS = 3, F_CAP = 4;
const FILE_HEADER = 128;
const AWAKE = 0, SLEEPING = 1, WOKEN = 2;

export class Inbox {
  readonly rings: Ring[] = [];
  private readonly w: Uint32Array;
  private readonly mem: Uint8Array; // keeps the mapping alive

  private constructor(info: InboxInfo, fresh: boolean) {
    const dataStart = alignUp(FILE_HEADER + info.rings * RING_HEADER_BYTES, 4096);
    this.mem = mapShared(info.path, dataStart + info.rings * info.cap, { fresh });
    const { buffer, byteOffset } = this.mem;
    this.w = new Uint32Array(buffer, byteOffset, FILE_HEADER / 4);
    if (fresh) {
      this.w[F_RINGS] = info.rings;
      this.w[F_CAP] = info.cap;
      Atomics.store(this.w, F_MAGIC, MAGIC);
    } else if (this.w[F_MAGIC] !== MAGIC || this.w[F_RINGS] !== info.rings || this.w[F_CAP] !== info.cap) {
      throw new Error(`mule inbox ${info.path} does not match its description (magic/rings/capacity): it was not made by this master`);
    }
    for (let r = 0; r < info.rings; r++) {
      const words = new Uint32Array(buffer, byteOffset + FILE_HEADER + r * RING_HEADER_BYTES, RING_HEADER_BYTES / 4);
      this.rings.push(new Ring(words, this.mem.subarray(dataStart + r * info.cap, dataStart + (r + 1) * info.cap), info.cap, info.maxCount));
    }
  }

  /** The master's start-up: a new, empty file. */
  static create(info: InboxInfo): Inbox {
    return new Inbox(info, true);
  }

  /** Any process: the file the master made. */
  static open(info: InboxInfo): Inbox {
    return new Inbox(info, false);
  }

  /**
   * A new master, started again after its predecessor was killed: takes over
   * the file that master made (its layout read from the file itself), so the
   * messages accepted into its rings are still delivered. Null when the file
   * is not an inbox. The dead consumer's and senders' claims stay: a new
   * process takes a ring or the reading side over from a dead one.
   */
  static adopt(path: string, maxCount: number): { inbox: Inbox; info: InboxInfo } | null {
    const head = new Uint32Array(FILE_HEADER / 4);
    const fd = openSync(path, "r");
    try { readSync(fd, new Uint8Array(head.buffer), 0, FILE_HEADER, 0); } finally { closeSync(fd); }
    if (head[F_MAGIC] !== MAGIC || !head[F_RINGS] || !head[F_CAP]) return null;
    const info: InboxInfo = { path, rings: head[F_RINGS], cap: head[F_CAP], maxCount };
    return { inbox: new Inbox(info, false), info };
  }

  // ------------------------------------------------------------- senders

  /**
   * A ring for `pid` to write to: a free one, else one whose owner died.
   * Null when every ring belongs to a live process (the caller goes through
   * the master instead).
   */
  claimRing(pid: number): Ring | null {
    for (const r of this.rings) if (r.owner === pid || r.claim(pid)) return r;
    for (const r of this.rings) {
      const o = r.owner;
      if (o !== 0 && !pidIsAlive(o, true) && r.claim(pid, o)) return r;
    }
    return null;
  }

  /**
   * After publishing: true when the mule sleeps waiting for data and this
   * caller is the one that must wake it (one wake-up per sleep).
   */
  shouldWake(): boolean {
    return Atomics.load(this.w, F_SLEEP) === SLEEPING && Atomics.compareExchange(this.w, F_SLEEP, SLEEPING, WOKEN) === SLEEPING;
  }

  // ---------------------------------------------------------------- mule

  get consumer(): number {
    return Atomics.load(this.w, F_CONSUMER);
  }

  /**
   * Takes the reading side for `pid` when it is free or its holder died
   * (a mule's predecessor still stopping keeps it until it exits). Reading
   * restarts at each ring's first unfinished record.
   */
  claimConsumer(pid: number): boolean {
    const cur = this.consumer;
    if (cur !== pid) {
      if (cur !== 0 && pidIsAlive(cur, true)) return false;
      if (Atomics.compareExchange(this.w, F_CONSUMER, cur, pid) !== cur) return false;
    }
    Atomics.store(this.w, F_SLEEP, AWAKE);
    for (const r of this.rings) r.rewind();
    return true;
  }

  /** Going to sleep until a sender wakes it; re-check the rings afterwards. */
  sleep(): void {
    Atomics.exchange(this.w, F_SLEEP, SLEEPING);
  }

  /** True while the mule sleeps and no sender has claimed the wake-up yet. */
  get sleeping(): boolean {
    return Atomics.load(this.w, F_SLEEP) === SLEEPING;
  }

  awake(): void {
    Atomics.exchange(this.w, F_SLEEP, AWAKE);
  }

  // -------------------------------------------------------------- master

  /** Frees everything `pid` held (it is gone). True when it was the reading mule. */
  releaseAllOf(pid: number): boolean {
    for (const r of this.rings) r.release(pid);
    if (Atomics.compareExchange(this.w, F_CONSUMER, pid, 0) !== pid) return false;
    Atomics.store(this.w, F_SLEEP, AWAKE);
    return true;
  }

  /** Messages accepted and not finished, over all rings. */
  queued(): number {
    let n = 0;
    for (const r of this.rings) n += r.queued;
    return n;
  }

  /** Messages the mule finished, over all rings. */
  finished(): number {
    let n = 0;
    for (const r of this.rings) n += r.finished;
    return n;
  }
}
