/** Sub-directories of the spool dir that are not priority levels. */
export declare const RESERVED: Set<string>;
/** One priority level: its directory and its task names, sorted; `pos` is the next to try. */
export interface Level {
    priority: number | null;
    dir: string;
    names: string[];
    pos: number;
}
/** Scans `dir` and its priority directories; returns the levels in run order. */
export declare function scanPending(dir: string, quarantine: (path: string, reason: string) => void): Level[];
