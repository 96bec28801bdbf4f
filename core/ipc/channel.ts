// A Channel is one end of a child's Unix socket: framed, coalesced writes,
// request/reply on top. The master holds one per child, each child one.
import type { Socket } from "node:net";
import { pack, unpack } from "msgpackr/pack";
import { FrameReader, FrameWriter } from "./frame.ts";
import { NodeTransport, type Transport } from "./transport.ts";
import { Kind } from "./types.ts";
import { errorFromCode } from "../errors.ts";

export type RequestHandler = (op: string, args: any) => unknown | Promise<unknown>;

interface Pending { resolve: (v: any) => void; reject: (e: Error) => void; timer?: ReturnType<typeof setTimeout> }

/** A remote error travels as {name, code, message} and is rebuilt here. */
export class RemoteError extends Error {
  constructor(message: string, readonly code: string, name: string) {
    super(message);
    this.name = name;
  }
}

export class Channel {
  readonly writer: FrameWriter;
  private reader: FrameReader;
  private handlers = new Map<number, (body: Uint8Array) => void>();
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private requestHandler?: RequestHandler;
  private closeHandlers: Array<() => void> = [];
  closed = false;
  /** Told how many requests await an answer (a mule stays alive while any do). */
  onPending?: (n: number) => void;

  constructor(readonly transport: Transport) {
    this.writer = new FrameWriter((chunk) => !this.closed && transport.write(chunk), setImmediate);
    this.reader = new FrameReader((kind, body) => this.dispatch(kind, body));
    transport.events = {
      data: (chunk) => {
        try {
          this.reader.push(chunk);
        } catch {
          // A corrupt stream cannot be resynchronised: drop the connection.
          transport.destroy();
        }
      },
      close: () => {
        if (this.closed) return;
        this.closed = true;
        for (const p of this.pending.values()) {
          clearTimeout(p.timer);
          p.reject(new Error("IPC channel closed"));
        }
        this.pending.clear();
        for (const h of this.closeHandlers) h();
      },
    };
    this.on(Kind.Request, (body) => this.answer(body));
    this.on(Kind.Reply, (body) => this.settle(body));
  }

  /** A channel over a node:net socket (TCP: RPC between instances). */
  static overSocket(sock: Socket): Channel {
    return new Channel(new NodeTransport(sock));
  }

  ref(): void { this.transport.ref(); }
  unref(): void { this.transport.unref(); }
  destroy(): void { this.transport.destroy(); }

  /** Routes frames of `kind` to `fn` (one handler per kind). */
  on(kind: number, fn: (body: Uint8Array) => void): this {
    this.handlers.set(kind, fn);
    return this;
  }

  onClose(fn: () => void): this {
    this.closeHandlers.push(fn);
    return this;
  }

  onRequest(fn: RequestHandler): this {
    this.requestHandler = fn;
    return this;
  }

  /** Sends one frame (coalesced with others of this tick). */
  send(kind: number, body?: Uint8Array): void {
    if (!this.closed) this.writer.frame(kind, body);
  }

  /** Sends a msgpack-encoded control frame. */
  sendObject(kind: number, obj: unknown): void {
    this.send(kind, pack(obj));
  }

  /** Calls `op` on the other end and resolves with its answer. */
  request<T = any>(op: string, args?: unknown, timeoutMs = 0): Promise<T> {
    if (this.closed) return Promise.reject(new Error("IPC channel closed"));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const p: Pending = { resolve, reject };
      if (timeoutMs > 0) {
        p.timer = setTimeout(() => {
          this.pending.delete(id);
          this.onPending?.(this.pending.size);
          reject(new Error(`IPC request "${op}" timed out after ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.pending.set(id, p);
      this.onPending?.(this.pending.size);
      this.writer.frame(Kind.Request, pack({ id, op, args }));
    });
  }

  flush(): void {
    this.writer.flush();
  }

  close(): void {
    this.flush();
    this.transport.end();
  }

  private dispatch(kind: number, body: Uint8Array) {
    const h = this.handlers.get(kind);
    if (h) h(body);
  }

  private async answer(body: Uint8Array) {
    const { id, op, args } = unpack(body) as { id: number; op: string; args: unknown };
    try {
      if (!this.requestHandler) throw new Error(`no handler for IPC request "${op}"`);
      const value = await this.requestHandler(op, args);
      this.send(Kind.Reply, pack({ id, ok: true, value }));
    } catch (e: any) {
      this.send(Kind.Reply, pack({ id, ok: false, error: { name: e?.name ?? "Error", code: e?.code ?? "Error", message: String(e?.message ?? e) } }));
    }
  }

  private settle(body: Uint8Array) {
    const { id, ok, value, error } = unpack(body) as any;
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.onPending?.(this.pending.size);
    clearTimeout(p.timer);
    if (ok) p.resolve(value);
    else p.reject(error.code && error.code !== "Error" ? errorFromCode(error.code, error.message) : new RemoteError(error.message, error.code, error.name));
  }
}

export { pack, unpack };
