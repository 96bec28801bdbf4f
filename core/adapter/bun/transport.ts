// Bun: Unix sockets through Bun.listen/Bun.connect (no stream machinery on
// the hot path, about half the CPU per write of node:net here).
import type { Listener, Transport, TransportEvents } from "../types.ts";

const B = (globalThis as any).Bun;

/** A Bun native socket: write() returns how much the kernel took; the rest waits for drain. */
export class BunTransport implements Transport {
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

/** Accepts connections on a Unix socket path. */
export function listenUnix(path: string, onTransport: (t: Transport) => void): Promise<Listener> {
  const l = B.listen({ unix: path, socket: { ...bunHandlers, open(s: any) { s.data = new BunTransport(s); onTransport(s.data); } } });
  return Promise.resolve({ close: () => l.stop(true), unref: () => l.unref() });
}

/** Connects to a Unix socket path. */
export async function connectUnix(path: string): Promise<Transport> {
  let t!: BunTransport;
  await B.connect({ unix: path, socket: { ...bunHandlers, open(s: any) { t = new BunTransport(s); s.data = t; } } });
  return t;
}
