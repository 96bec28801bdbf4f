import type { Config } from "../config.ts";
import type { Channel } from "../ipc/channel.ts";
import type { Role } from "../ipc/types.ts";
export interface ProcessContext {
    role: Role | "none";
    id: number;
    config: Config | null;
    channel: Channel | null;
    masterPid: number;
    startedOn: number;
    runtimeDir: string;
    meta: Record<string, unknown>;
    /** Fields engines put in the Init frame. */
    init: Record<string, any>;
    /** Counters pushed to the master's stats. */
    counters: Record<string, number>;
}
export declare const ctx: ProcessContext;
/** The channel to the master, or a clear error when not running under mulefarm. */
export declare function channel(what: string): Channel;
/** Hooks engines install on the child side; run once the channel is up. */
export declare const childSetup: Array<(c: Channel) => void>;
/** Run after --import modules are loaded and before the role starts (postfork). */
export declare const postforkHooks: Array<() => unknown>;
/** Requests the master may send to this child: op → handler. */
export declare const childRequests: Map<string, (args: any) => unknown>;
/** Run when the master asks this process to stop gracefully. */
export declare const shutdownHooks: Array<() => unknown>;
