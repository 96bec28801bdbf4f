/**
 * RPC between processes and instances.
 *
 * @example
 * import { rpc, rpcCall } from "mulefarm";
 * rpc("hello")((who: string) => `hello ${who}`);       // in any process that imports this
 * await rpcCall("hello", "world");                     // from any process: "hello world"
 * await rpc("127.0.0.1:3031", "hello", "remote");      // another instance's --rpc address
 */
import { DEFAULT_TIMEOUT_S, registerRpc, rpcCall as call, rpcList, rpcRemote } from "../rpc/child.ts";

export { registerRpc, rpcList };
type Fn = (...args: any[]) => unknown;

/** Calls RPC function `name` (here, or wherever it is registered). Rejects with RpcNotFound / RpcTimeout. */
export function rpcCall(name: string, ...args: unknown[]): Promise<unknown> {
  return call(name, args);
}

/** The explicit form: `callRpc({ name, args, node: "127.0.0.1:3031", timeout: 2 })`. */
export function callRpc(o: { name: string; args?: unknown[]; node?: string; timeout?: number }): Promise<unknown> {
  const t = o.timeout ?? DEFAULT_TIMEOUT_S;
  return o.node ? rpcRemote(o.node, o.name, o.args ?? [], t) : call(o.name, o.args ?? [], t);
}

/** `rpc("name")(fn)` registers fn; `rpc("host:port", "name", ...args)` calls another instance. */
export function rpc(name: string): <F extends Fn>(fn: F) => F;
export function rpc(node: string, name: string, ...args: unknown[]): Promise<unknown>;
export function rpc(a: string, ...rest: unknown[]): any {
  if (rest.length === 0) return <F extends Fn>(fn: F): F => { registerRpc(a, fn); return fn; };
  return rpcRemote(a, rest[0] as string, rest.slice(1));
}
