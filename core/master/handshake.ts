// The master's end of the child socket: every child (and every control tool
// such as `mulefarm signal`) connects, says Hello, and gets Init back. Frames
// from a child go to the engines; requests are routed by op name, one table for
// children and control tools alike.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pack, unpack } from "msgpackr/pack";
import type { Config } from "../config.ts";
import { Channel } from "../ipc/channel.ts";
import { type Listener, listenUnix } from "../ipc/transport.ts";
import { type Hello, Kind } from "../ipc/types.ts";
import { randomHex } from "../base/random.ts";
import type { Supervisor } from "./supervisor.ts";
import type { MasterEngine, Proc, Slot } from "../engine.ts";

export type RequestOp = (slot: Slot, args: any) => unknown;

export interface HandshakeOptions {
  socketPath: string;
  runtimeDir: string;
  config: Config;
  slots: Slot[];
  engines: MasterEngine[];
  sup: Supervisor;
  /** Requests the master itself answers (stats, reload, stop), beside the engines' ones. */
  ownRequests: Record<string, RequestOp>;
  /** The slot control tools are counted under. */
  controlSlot: Slot;
  startedOn: number;
}

/** Engine requests and the master's own, looked up by op name. */
export function requestTable(engines: MasterEngine[], own: Record<string, RequestOp>): Map<string, RequestOp> {
  const ops = new Map<string, RequestOp>();
  for (const e of engines) for (const [op, fn] of Object.entries(e.requests ?? {})) ops.set(op, fn);
  for (const [op, fn] of Object.entries(own)) ops.set(op, fn);
  return ops;
}

function serveRequests(ch: Channel, ops: Map<string, RequestOp>, slot: Slot): void {
  ch.onRequest((op, args) => {
    const fn = ops.get(op);
    if (!fn) throw new Error(`unknown master request "${op}"`);
    return fn(slot, args);
  });
}

export async function listenForChildren(o: HandshakeOptions): Promise<Listener> {
  const { config, slots, engines, sup } = o;
  const ops = requestTable(engines, o.ownRequests);
  const byToken = (token: string): [Slot, Proc] | null => {
    for (const s of slots) {
      if (s.current?.token === token) return [s, s.current];
      for (const p of s.old) if (p.token === token) return [s, p];
    }
    return null;
  };

  // `mulefarm signal` and other tools talk to the master over the same
  // socket and protocol, proving who they are with a token only the owner can read.
  const controlToken = randomHex(16);
  writeFileSync(join(o.runtimeDir, "control.token"), controlToken, { mode: 0o600 });

  return await listenUnix(o.socketPath, (transport) => {
    const ch = new Channel(transport);
    ch.on(Kind.Hello, (body) => {
      const hello = unpack(body) as Hello;
      if (hello.role === "control" && hello.token === controlToken) {
        serveRequests(ch, ops, o.controlSlot);
        ch.send(Kind.Init, pack({ masterPid: process.pid }));
        return;
      }
      const found = byToken(hello.token);
      if (!found) { ch.destroy(); return; }
      const [slot, proc] = found;
      proc.channel = ch;
      for (const e of engines) e.attach?.(slot, proc, ch);
      ch.on(Kind.Ready, () => {
        proc.ready = true;
        if (slot.current === proc) slot.status = "idle";
        for (const f of proc.onReady.splice(0)) f();
      });
      ch.on(Kind.Stats, (b) => { if (slot.current === proc) Object.assign(slot.stats, unpack(b)); });
      ch.on(Kind.Log, (b) => {
        const { fatal, line, code } = unpack(b) as { fatal?: boolean; line: string; code?: number };
        if (fatal) sup.fatalMessages.set(proc.pid, { line, code: code ?? 1 });
      });
      serveRequests(ch, ops, slot);
      const init: Record<string, unknown> = { config, role: slot.role, id: slot.id, meta: slot.meta, masterPid: process.pid, startedOn: o.startedOn, runtimeDir: o.runtimeDir };
      for (const e of engines) Object.assign(init, e.init?.(slot));
      ch.send(Kind.Init, pack(init));
    });
  });
}
