// What a Channel writes to and reads from. Under Bun, Unix sockets use Bun's
// native sockets (Bun.listen/Bun.connect: no stream machinery on the hot
// path, about half the CPU per write of node:net here); elsewhere, and for
// TCP, node:net. Both keep their own backlog, so a slow reader never makes
// the runtime buffer megabytes (which slows every later write).
import type { Socket } from "node:net";
import { net } from "../base/lazy-builtins.ts";

export interface TransportEvents {
  data(chunk: Uint8Array): void;
  close(): void;
}

export interface Transport {
  /** Set by the Channel before any event is delivered. */
  events: TransportEvents;
  /**
   * Writes (or queues) `chunk`. True when the transport still holds it after
   * returning (queued): the caller must not reuse its bytes. False when the
   * bytes were taken (written, or copied), so the caller may reuse the buffer.
   */
  write(chunk: Uint8Array): boolean;
  end(): void;
  destroy(): void;
  ref(): void;
  unref(): void;
}

const NODE_HIGH_WATER = 1 << 16;
const SMALL_COPY = 4096;

/** node:net: used under Deno, and for TCP everywhere. */
export class NodeTransport implements Transport {
  events: TransportEvents = { data() {}, close() {} };
  private backlog: Uint8Array[] = [];
  private blocked = false;
  constructor(readonly socket: Socket) {
    socket.on("data", (c: Uint8Array) => this.events.data(c));
    socket.on("close", () => this.events.close());
    socket.on("error", () => {});
    socket.on("end", () => socket.destroy());
    socket.on("drain", () => {
      this.blocked = false;
      while (this.backlog.length && !this.blocked) this.put(this.backlog.shift()!);
    });
  }
  private put(c: Uint8Array) {
    this.socket.write(c);
    if ((this.socket as any).writableLength > NODE_HIGH_WATER) this.blocked = true;
  }
  write(c: Uint8Array): boolean {
    // node:net may hold any chunk until libuv wrote it: a small one is copied,
    // so the writer can reuse its buffer (a fresh 64 KiB per small flush only feeds the GC).
    const small = c.length <= SMALL_COPY;
    const own = small ? c.slice() : c;
    if (this.blocked) this.backlog.push(own);
    else this.put(own);
    return !small;
  }
  end() { this.socket.end(); }
  destroy() { this.socket.destroy(); }
  ref() { (this.socket as any).ref?.(); }
  unref() { (this.socket as any).unref?.(); }
}

/** A Bun native socket: write() returns how much the kernel took; the rest waits for drain. */
class BunTransport implements Transport {
  events: TransportEvents = { data() {}, close() {} };
  private backlog: Uint8Array[] = [];
  closed = false;
  constructor(private s: any) {}
  write(c: Uint8Array): boolean {
    if (this.closed) return false;
    if (this.backlog.length) { this.backlog.push(c); return true; }
    const n = this.s.write(c);
    if (n >= c.length) return false; // the kernel has it all
    this.backlog.push(n > 0 ? c.subarray(n) : c);
    return true;
  }
  drain() {
    while (this.backlog.length) {
      const c = this.backlog[0];
      const n = this.s.write(c);
      if (n < c.length) { this.backlog[0] = n > 0 ? c.subarray(n) : c; return; }
      this.backlog.shift();
    }
  }
  end() { this.s.end(); }
  destroy() { this.s.terminate?.() ?? this.s.end(); }
  ref() { this.s.ref(); }
  unref() { this.s.unref(); }
}

const B = (globalThis as any).Bun;
const useBun = !!B?.listen && process.env.MULEFARM_IPC !== "node";

// Frames keep views into read chunks (queued messages), so a chunk must not
// be reused after its callback: Bun hands each read its own fresh buffer
// (checked: distinct ArrayBuffers, unchanged afterwards), as node:net does.
const bunHandlers = {
  data(s: any, d: Uint8Array) { s.data.events.data(d); },
  drain(s: any) { s.data.drain(); },
  close(s: any) { bunClosed(s); },
  // The peer closed (a master that died): no half-open channels here.
  end(s: any) { bunClosed(s); try { s.end(); } catch { /* already closed */ } },
  error(s: any) { bunClosed(s); },
};

function bunClosed(s: any) {
  const t = s.data as BunTransport | undefined;
  if (!t || t.closed) return;
  t.closed = true;
  t.events.close();
}

export interface Listener {
  close(): void;
  /** Lets the process exit while it listens. */
  unref(): void;
}

/** Accepts connections on a Unix socket path. */
export function listenUnix(path: string, onTransport: (t: Transport) => void): Promise<Listener> {
  if (useBun) {
    const l = B.listen({ unix: path, socket: { ...bunHandlers, open(s: any) { s.data = new BunTransport(s); onTransport(s.data); } } });
    return Promise.resolve({ close: () => l.stop(true), unref: () => l.unref() });
  }
  return new Promise((resolve, reject) => {
    const srv = net().createServer((sock) => onTransport(new NodeTransport(sock)));
    srv.once("error", reject);
    srv.listen(path, () => resolve({ close: () => srv.close(), unref: () => void srv.unref() }));
  });
}

/** Connects to a Unix socket path. */
export async function connectUnix(path: string): Promise<Transport> {
  if (useBun) {
    let t!: BunTransport;
    await B.connect({ unix: path, socket: { ...bunHandlers, open(s: any) { t = new BunTransport(s); s.data = t; } } });
    return t;
  }
  return await new Promise((resolve, reject) => {
    const sock = net().connect(path);
    sock.once("connect", () => resolve(new NodeTransport(sock)));
    sock.once("error", reject);
  });
}
