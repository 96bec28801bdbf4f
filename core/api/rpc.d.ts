/**
 * RPC between processes and instances.
 *
 * @example
 * import { rpc, rpcCall } from "mulefarm";
 * rpc("hello")((who: string) => `hello ${who}`);       // in any process that imports this
 * await rpcCall("hello", "world");                     // from any process: "hello world"
 * await rpc("127.0.0.1:3031", "hello", "remote");      // another instance's --rpc address
 */
import { registerRpc, rpcList } from "../rpc/child.ts";
export { registerRpc, rpcList };
type Fn = (...args: any[]) => unknown;
/** Calls RPC function `name` (here, or wherever it is registered). Rejects with RpcNotFound / RpcTimeout. */
export declare function rpcCall(name: string, ...args: unknown[]): Promise<unknown>;
/** The explicit form: `callRpc({ name, args, node: "127.0.0.1:3031", timeout: 2 })`. */
export declare function callRpc(o: {
    name: string;
    args?: unknown[];
    node?: string;
    timeout?: number;
}): Promise<unknown>;
/** `rpc("name")(fn)` registers fn; `rpc("host:port", "name", ...args)` calls another instance. */
export declare function rpc(name: string): <F extends Fn>(fn: F) => F;
export declare function rpc(node: string, name: string, ...args: unknown[]): Promise<unknown>;
