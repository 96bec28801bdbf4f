// One small shared page per child: what it is doing and by when it must be
// done. The child writes it (a request, a signal handler, a spool task, a
// user deadline); the master reads it every 100 ms and kills a child whose
// deadline passed — which works even when the child's event loop is blocked.
import { join } from "node:path";
import { mapShared } from "../shm/index.ts";

const SIZE = 4096;
const LABEL = 64; // byte offset of the label
const LABEL_MAX = 1024;

export interface Score {
  /** Epoch ms by which the current work must end (0: none). */
  deadline: number;
  /** Epoch ms the current work started. */
  started: number;
  /** User deadline from setUserHarakiri (0: none). */
  user: number;
  label: string;
}

export function scorePath(runtimeDir: string, pid: number): string {
  return join(runtimeDir, `score-${pid}`);
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export class Scoreboard {
  private f64: Float64Array;
  private u8: Uint8Array;
  constructor(path: string, create: boolean) {
    this.u8 = mapShared(path, SIZE, create ? { fresh: true } : {});
    this.f64 = new Float64Array(this.u8.buffer, this.u8.byteOffset, 8);
  }
  set(deadline: number, label: string) {
    const bytes = enc.encode(label.slice(0, 300)).subarray(0, LABEL_MAX);
    this.u8.set(bytes, LABEL + 2);
    this.u8[LABEL] = bytes.length & 0xff;
    this.u8[LABEL + 1] = bytes.length >> 8;
    this.f64[1] = Date.now();
    this.f64[0] = deadline;
  }
  clear() {
    this.f64[0] = 0;
  }
  setUser(deadline: number) {
    this.f64[2] = deadline;
  }
  read(): Score {
    const n = this.u8[LABEL] | (this.u8[LABEL + 1] << 8);
    return { deadline: this.f64[0], started: this.f64[1], user: this.f64[2], label: dec.decode(this.u8.subarray(LABEL + 2, LABEL + 2 + n)) };
  }
}
