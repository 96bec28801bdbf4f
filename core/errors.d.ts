/**
 * Every error mulefarm raises on purpose: a class with a stable `code`, and a
 * message that states the rule, names the thing and shows the value
 * ("--processes must be a positive integer: got \"x\"").
 *
 * @example
 * try { await new Mule(9).send("x") } catch (e) { if (e instanceof MuleNotFound) ... }
 */
export declare class MulefarmError extends Error {
    static code: string;
    /** Stable machine-readable code, equal to the class name. */
    readonly code: string;
    /** Exit status the CLI uses when this error is fatal (2 = usage). */
    readonly exitCode: number;
    constructor(message: string, exitCode?: number);
}
/** A command-line option, ini key or spec string is wrong: exit 2. */
export declare class UsageError extends MulefarmError {
    static code: string;
    constructor(message: string);
}
/** An ini file could not be parsed: names file, line and reason. */
export declare class IniError extends UsageError {
    static code: string;
}
/** A module/script spec points at a file that does not exist. */
export declare class SpecNotFound extends UsageError {
    static code: string;
}
/** A module spec names an export the module does not have. */
export declare class ExportNotFound extends UsageError {
    static code: string;
}
export declare class MuleNotFound extends MulefarmError {
    static code: string;
}
export declare class FarmNotFound extends MulefarmError {
    static code: string;
}
export declare class MessageTooLarge extends MulefarmError {
    static code: string;
}
export declare class QueueFull extends MulefarmError {
    static code: string;
}
export declare class NotInMule extends MulefarmError {
    static code: string;
}
export declare class InvalidSignal extends MulefarmError {
    static code: string;
}
export declare class SignalQueueFull extends MulefarmError {
    static code: string;
}
export declare class InvalidCron extends MulefarmError {
    static code: string;
}
export declare class InvalidTarget extends MulefarmError {
    static code: string;
}
export declare class SpoolError extends MulefarmError {
    static code: string;
}
export declare class LockError extends MulefarmError {
    static code: string;
}
export declare class CacheError extends MulefarmError {
    static code: string;
}
export declare class RpcNotFound extends MulefarmError {
    static code: string;
}
export declare class RpcTimeout extends MulefarmError {
    static code: string;
}
export declare class RpcUnreachable extends MulefarmError {
    static code: string;
}
export declare class PluginLimitExceeded extends MulefarmError {
    static code: string;
}
export declare class CapabilityDenied extends MulefarmError {
    static code: string;
}
/** Thrown inside a spool task: run it again later (counts as an attempt). */
export declare class Retry extends Error {
    readonly delaySeconds?: number | undefined;
    constructor(delaySeconds?: number | undefined);
}
/** Thrown inside a spool task: do not retry, move to failed/ at once. */
export declare class Unrecoverable extends Error {
    constructor(message: string);
}
/** Rebuilds an error that crossed a process boundary as its own class (by code). */
export declare function errorFromCode(code: string, message: string): Error;
/** Turns any thrown value into one log-friendly line, never a stack trace. */
export declare function oneLine(e: unknown): string;
