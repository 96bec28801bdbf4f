import type { Config } from "../config.ts";
import type { MasterApi, MasterEngine, Proc, Slot } from "../master/types.ts";
import { type CacheConfig } from "../cache/index.ts";
export interface SharedInit {
    locks: {
        path: string;
        max: number;
    };
    caches: Array<{
        path: string;
        cfg: CacheConfig;
    }>;
    sharedarea?: {
        path: string;
        pages: number;
    };
    queue?: {
        path: string;
        slots: number;
    };
}
export declare class SharedEngine implements MasterEngine {
    private config;
    name: string;
    private info;
    private locks;
    private caches;
    private area?;
    private queue?;
    private files;
    private api;
    private cfgs;
    constructor(config: Config);
    start(api: MasterApi): void;
    init(): Record<string, unknown>;
    detach(slot: Slot, proc: Proc): void;
    stats(doc: Record<string, any>): void;
    stop(): void;
}
