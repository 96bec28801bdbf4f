// The master's RPC switchboard: which processes registered which function
// names, forwarding a call to one of them, and the --rpc listener through
// which other instances call in (same frames, over TCP on loopback).
import type { Server } from "node:net";
import { net } from "../base/lazy-builtins.ts";
import type { Config } from "../config.ts";
import { RpcNotFound } from "../errors.ts";
import { checkListenHost, listenError } from "../runtime/listen-errors.ts";
import { Channel } from "../ipc/channel.ts";
import type { MasterEngine, Proc, Slot } from "../engine.ts";
import { parseAddr } from "../config.ts";

export const DEFAULT_RPC_TIMEOUT_S = 10;

/** What the RPC listener needs of the signal engine (passed in by masterEngines). */
export interface RemoteRaise {
  raiseFromOutside(num: unknown, why: string): true;
}

export class RpcEngine implements MasterEngine {
  name = "rpc";
  private names = new Map<string, Set<Proc>>();
  private channels = new Map<Proc, Channel>();
  private server?: Server;
  private rr = 0;
  private calls = 0;

  /** `signals` (the SignalEngine) answers uwsgi.signal(num, addr) raised at this instance from another one. */
  constructor(private config: Config, private signals: RemoteRaise) {}

  async start() {
    if (!this.config.rpc) return;
    const { host, port } = parseAddr("rpc", this.config.rpc);
    this.server = net().createServer((sock) => {
      const ch = Channel.overSocket(sock);
      ch.onRequest((op, args: any) => {
        if (op === "rpc.call") return this.call(args.name, args.args, args.timeout);
        if (op === "rpc.list") return [...this.names.keys()];
        // uWSGI's uwsgi.signal(num, "host:port"): another instance raises a signal here.
        if (op === "signal.raise") return this.signals.raiseFromOutside(args.num, `remote ${sock.remoteAddress}:${sock.remotePort}`);
        throw new Error(`unknown rpc request "${op}"`);
      });
    });
    await checkListenHost("cannot listen for RPC on", host, port);
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", (e: any) => reject(listenError("cannot listen for RPC on", this.config.rpc!, e)));
      this.server!.listen(port, host === "0.0.0.0" ? "127.0.0.1" : host, () => resolve());
    });
  }

  attach(_slot: Slot, proc: Proc, channel: Channel) {
    this.channels.set(proc, channel);
  }

  detach(_slot: Slot, proc: Proc) {
    this.channels.delete(proc);
    for (const set of this.names.values()) set.delete(proc);
  }

  requests = {
    "rpc.register": (slot: Slot, a: { name: string }) => {
      const proc = slot.current;
      if (!proc) return false;
      if (!this.names.has(a.name)) this.names.set(a.name, new Set());
      this.names.get(a.name)!.add(proc);
      return true;
    },
    "rpc.call": (_slot: Slot, a: { name: string; args: unknown[]; timeout?: number }) => this.call(a.name, a.args, a.timeout),
    "rpc.list": () => [...this.names.keys()],
  };

  private call(name: string, args: unknown[], timeoutS = DEFAULT_RPC_TIMEOUT_S): Promise<unknown> {
    const procs = [...(this.names.get(name) ?? [])].filter((p) => this.channels.has(p));
    if (!procs.length) throw new RpcNotFound(`no process registered the RPC function "${name}"`);
    this.calls++;
    const proc = procs[this.rr++ % procs.length];
    return this.channels.get(proc)!.request("rpc.invoke", { name, args }, timeoutS * 1000);
  }

  stats(doc: Record<string, any>) {
    doc.rpc = { functions: [...this.names].map(([name, s]) => ({ name, processes: s.size })), calls: this.calls, address: this.config.rpc ?? null };
  }

  stop() {
    this.server?.close();
  }
}
