/** Blocks the calling thread for about `ms` milliseconds (fractions allowed). */
export declare function sleepSync(ms: number): void;
/** Resolves after about `ms` milliseconds (0: the next macrotask). */
export declare function sleepAsync(ms: number): Promise<void>;
/** This process's pid (what lock words hold). */
export declare const myPid: number;
/**
 * True when `pid` no longer runs: `kill(pid, 0)` fails with ESRCH, or (with
 * `zombies`, Linux only) /proc says it is a zombie that nobody reaped yet: a
 * SIGKILLed child stays a zombie until its parent waits for it, and a zombie
 * holds no lock.
 */
export declare function isProcessDead(pid: number, zombies?: boolean): boolean;
