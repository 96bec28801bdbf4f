import type { Config } from "../config.ts";
export type TargetKind = "worker" | "workers" | "active-workers" | "mule" | "mules" | "spooler" | "spoolers" | "farm";
export interface SignalTarget {
    text: string;
    kind: TargetKind;
    id?: number;
    farm?: string;
}
export declare function checkSignalNumber(num: unknown): number;
/** Parses and checks a target against the configuration (which ids and farms exist). */
export declare function parseTarget(raw: string | undefined, config: Config | null): SignalTarget;
