// What a Channel writes to and reads from. Under Bun, Unix sockets use Bun's
// native sockets (core/adapter/bun/transport.ts); elsewhere, and for TCP,
// node:net. Both keep their own backlog, so a slow reader never makes the
// runtime buffer megabytes (which slows every later write).
import type { Socket } from "node:net";
import { net } from "../base/lazy-builtins.ts";
import { nativeUnixSockets } from "../adapter/transport.ts";
import type { Listener, Transport, TransportEvents } from "../adapter/types.ts";

export type { Listener, Transport, TransportEvents };

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

// MULEFARM_IPC=node: node:net even where native sockets exist (to compare them).
const native = process.env.MULEFARM_IPC !== "node" ? nativeUnixSockets : null;

/** Accepts connections on a Unix socket path. */
export function listenUnix(path: string, onTransport: (t: Transport) => void): Promise<Listener> {
  if (native) return native.listenUnix(path, onTransport);
  return new Promise((resolve, reject) => {
    const srv = net().createServer((sock) => onTransport(new NodeTransport(sock)));
    srv.once("error", reject);
    srv.listen(path, () => resolve({ close: () => srv.close(), unref: () => void srv.unref() }));
  });
}

/** Connects to a Unix socket path. */
export async function connectUnix(path: string): Promise<Transport> {
  if (native) return await native.connectUnix(path);
  return await new Promise((resolve, reject) => {
    const sock = net().connect(path);
    sock.once("connect", () => resolve(new NodeTransport(sock)));
    sock.once("error", reject);
  });
}
