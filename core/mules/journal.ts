// The master path's journal, kept in shared memory so that a master killed
// with SIGKILL and started again with the same --pidfile still delivers what
// it had accepted: every MuleSend the master takes (farm, shared queue,
// mulefunc, light mules, a mule without rings) is appended here, and marked
// done when its mule finished it (or it was parked). The next master of the
// instance routes the records not done again, in the order they were
// accepted, before any new message. Only with --pidfile (it names the
// instance); a full journal stops journaling new messages (one log line)
// until room is made.
//
// Layout: [header 64 B: magic, cap, head, tail][data, cap B]. Positions only
// grow (mod 2^32; cap is a power of two). Record: [u32 payload length]
// [u8 state][u8 target][u16 index][u8 type][3 B pad][u32 sender pid][payload],
// padded to 8 bytes; a length of WRAP says "go to offset 0".
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { mapShared } from "../shm/index.ts";

const MAGIC = 0x6a6c6d6d; // "mmlj"
const H_MAGIC = 0, H_CAP = 1, H_HEAD = 2, H_TAIL = 3;
const HEADER = 64, REC = 16, WRAP = 0xffffffff;
const LIVE = 0, DONE = 1;
const align8 = (n: number) => (n + 7) & ~7;

export interface JournalRecord { pos: number; target: number; index: number; type: number; from: number; payload: Uint8Array }

export class Journal {
  private readonly h: Uint32Array;
  private readonly data: Uint8Array;
  private readonly view: DataView;
  private readonly mask: number;
  private full = false;

  private constructor(readonly path: string, readonly cap: number, fresh: boolean) {
    const mem = mapShared(path, HEADER + cap, { fresh });
    this.h = new Uint32Array(mem.buffer, mem.byteOffset, HEADER / 4);
    this.data = mem.subarray(HEADER);
    this.view = new DataView(this.data.buffer, this.data.byteOffset, cap);
    this.mask = cap - 1;
    if (fresh) {
      this.h[H_CAP] = cap;
      this.h[H_HEAD] = this.h[H_TAIL] = 0;
      this.h[H_MAGIC] = MAGIC;
    }
  }

  /** The journal a killed master left at `path` (its capacity read from the file), or a fresh one of `cap` bytes. */
  static open(path: string, cap: number): { journal: Journal; adopted: boolean } {
    if (existsSync(path)) {
      const head = new Uint32Array(HEADER / 4);
      const fd = openSync(path, "r");
      try { readSync(fd, new Uint8Array(head.buffer), 0, HEADER, 0); } finally { closeSync(fd); }
      const old = head[H_CAP];
      if (head[H_MAGIC] === MAGIC && old >= 1 << 16 && (old & (old - 1)) === 0) return { journal: new Journal(path, old, false), adopted: true };
    }
    return { journal: new Journal(path, cap, true), adopted: false };
  }

  /** Appends one accepted message; its position, or -1 when there is no room (it is then not kept across a restart). */
  append(target: number, index: number, type: number, from: number, payload: Uint8Array): number {
    const size = align8(REC + payload.length);
    let tail = this.h[H_TAIL];
    const free = this.cap - ((tail - this.h[H_HEAD]) >>> 0);
    let off = tail & this.mask;
    const contig = this.cap - off;
    if (size > contig) {
      if (contig + size > free) return this.noRoom();
      this.view.setUint32(off, WRAP, true);
      tail = (tail + contig) >>> 0;
      off = 0;
    } else if (size > free) return this.noRoom();
    const v = this.view;
    v.setUint32(off, payload.length, true);
    this.data[off + 4] = LIVE;
    this.data[off + 5] = target;
    v.setUint16(off + 6, index, true);
    this.data[off + 8] = type;
    v.setUint32(off + 12, from >>> 0, true);
    this.data.set(payload, off + REC);
    this.h[H_TAIL] = (tail + size) >>> 0;
    this.full = false;
    this.fullNow = false;
    return tail;
  }

  /** The last append was the first one refused since the journal had room (the caller logs it once). */
  fullNow = false;

  private noRoom(): -1 {
    this.fullNow = !this.full;
    this.full = true;
    return -1;
  }

  /** The message at `pos` was finished (or parked): its room is reused once everything before it is done too. */
  done(pos: number): void {
    if (pos < 0) return;
    this.data[(pos & this.mask) + 4] = DONE;
    let head = this.h[H_HEAD];
    const tail = this.h[H_TAIL];
    while (head !== tail) {
      const off = head & this.mask;
      const n = this.view.getUint32(off, true);
      if (n === WRAP) { head = (head + this.cap - off) >>> 0; continue; }
      if (this.data[off + 4] !== DONE) break;
      head = (head + align8(REC + n)) >>> 0;
    }
    this.h[H_HEAD] = head;
  }

  /** The records not done, oldest first (a new master replays them); payloads are copies. */
  live(): JournalRecord[] {
    const out: JournalRecord[] = [];
    let pos = this.h[H_HEAD];
    const tail = this.h[H_TAIL];
    while (pos !== tail) {
      const off = pos & this.mask;
      const n = this.view.getUint32(off, true);
      if (n === WRAP) { pos = (pos + this.cap - off) >>> 0; continue; }
      if (n > this.cap - off - REC) break; // torn: the master died mid-append (never acknowledged)
      if (this.data[off + 4] === LIVE) {
        out.push({ pos, target: this.data[off + 5], index: this.view.getUint16(off + 6, true), type: this.data[off + 8], from: this.view.getUint32(off + 12, true), payload: this.data.slice(off + REC, off + REC + n) });
      }
      pos = (pos + align8(REC + n)) >>> 0;
    }
    return out;
  }
}
