export declare const DEFAULT_TIMEOUT_S = 10;
type Fn = (...args: any[]) => unknown;
/** Registers `fn` as RPC function `name` in this process (and with the master). */
export declare function registerRpc(name: string, fn: Fn): void;
export declare function rpcList(): Promise<string[]>;
/** Calls `name` here when this process has it, else wherever it is registered. */
export declare function rpcCall(name: string, args: unknown[], timeoutS?: number): Promise<unknown>;
/** Calls `name` in another instance listening with --rpc ADDR. */
export declare function rpcRemote(addr: string, name: string, args: unknown[], timeoutS?: number): Promise<unknown>;
export {};
