// The child side of RPC: functions this process exports, local and
// master-routed calls, and calls to other instances over their --rpc address.
import { net } from "../base/lazy-builtins.ts";
import { RpcNotFound, RpcTimeout, RpcUnreachable, UsageError, refused } from "../errors.ts";
import { Channel } from "../ipc/channel.ts";
import { childRequests, ctx } from "../runtime/context.ts";
import { parseAddr } from "../config.ts";

export const DEFAULT_TIMEOUT_S = 10;
type Fn = (...args: any[]) => unknown;
const local = new Map<string, Fn>();

childRequests.set("rpc.invoke", async (a: { name: string; args: unknown[] }) => {
  const fn = local.get(a.name);
  if (!fn) throw new RpcNotFound(`this process has no RPC function "${a.name}"`);
  return await fn(...a.args);
});

/** Registers `fn` as RPC function `name` in this process (and with the master). */
export function registerRpc(name: string, fn: Fn): void {
  if (typeof name !== "string" || !name || name.length > 255) throw new UsageError(refused("RPC name must be 1..255 characters", name));
  local.set(name, fn);
  ctx.channel?.request("rpc.register", { name }).catch(() => {});
}

export function rpcList(): Promise<string[]> {
  if (!ctx.channel) return Promise.resolve([...local.keys()]);
  return ctx.channel.request<string[]>("rpc.list");
}

/** Calls `name` here when this process has it, else wherever it is registered. */
export async function rpcCall(name: string, args: unknown[], timeoutS = DEFAULT_TIMEOUT_S): Promise<unknown> {
  const fn = local.get(name);
  if (fn) return await fn(...args);
  if (!ctx.channel) throw new RpcNotFound(`no RPC function "${name}" (not running under mulefarm)`);
  return withTimeout(ctx.channel.request("rpc.call", { name, args, timeout: timeoutS }), timeoutS, `RPC "${name}"`);
}

const remotes = new Map<string, Promise<Channel>>();

/** Calls `name` in another instance listening with --rpc ADDR. */
export async function rpcRemote(addr: string, name: string, args: unknown[], timeoutS = DEFAULT_TIMEOUT_S): Promise<unknown> {
  return await remoteRequest(addr, "rpc.call", { name, args, timeout: timeoutS }, timeoutS, `RPC "${name}" at ${addr}`);
}

/** One request to the --rpc listener of another instance ("rpc.call", "signal.raise"), over a kept connection. */
export async function remoteRequest(addr: string, op: string, args: unknown, timeoutS: number, what: string): Promise<unknown> {
  const ch = await remoteChannel(addr, timeoutS);
  return withTimeout(ch.request(op, args), timeoutS, what);
}

function remoteChannel(addr: string, timeoutS: number): Promise<Channel> {
  let p = remotes.get(addr);
  if (p) return p;
  let host: string, port: number;
  try { ({ host, port } = parseAddr("rpc", addr)); } catch {
    // Named as what the caller gave (uwsgi.signal(17, addr), rpc(addr, ...)), not as the --rpc option.
    return Promise.reject(new RpcUnreachable(`remote address must be HOST:PORT (another instance's --rpc): got "${addr}"`));
  }
  p = new Promise<Channel>((resolve, reject) => {
    const sock = net().connect(port, host === "0.0.0.0" ? "127.0.0.1" : host);
    const t = setTimeout(() => { sock.destroy(); reject(new RpcUnreachable(`RPC address ${addr} did not answer within ${timeoutS} s`)); }, timeoutS * 1000);
    sock.once("connect", () => {
      clearTimeout(t);
      const ch = Channel.overSocket(sock);
      ch.onClose(() => remotes.delete(addr));
      sock.unref();
      resolve(ch);
    });
    sock.once("error", (e: any) => { clearTimeout(t); remotes.delete(addr); reject(new RpcUnreachable(`cannot reach RPC address ${addr}: ${e.code ?? e.message}`)); });
  });
  remotes.set(addr, p);
  return p;
}

function withTimeout<T>(p: Promise<T>, s: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => { t = setTimeout(() => reject(new RpcTimeout(`${what} timed out after ${s} s`)), s * 1000); }),
  ]);
}
