export declare const RAISE_WINDOW = 65536;
export type SignalHandler = (num: number) => unknown;
/**
 * Registers `fn` for signal `num` in this process and the target in the
 * master's table. Throws at once for a bad number or target, or when this
 * process registered the number for another target; the promise rejects if
 * another process got the number first for another target.
 */
export declare function registerSignal(num: number, target: string, fn: SignalHandler): Promise<void>;
export declare function signalRegistered(num: number): boolean;
/** Raises `num`; resolves once routed, rejects with SignalQueueFull when the target is saturated. */
export declare function raiseSignal(num: number): Promise<void>;
/** Resolves with the number of the next signal this process receives (`num`: only that one). */
export declare function signalWait(num?: number): Promise<number>;
/** The number of the last signal this process received (0 when none). */
export declare function signalReceived(): number;
/** Asks the master for a signal number for `key`; every process asking with the same key gets the same one. */
export declare function allocateSignal(key: string): Promise<number>;
