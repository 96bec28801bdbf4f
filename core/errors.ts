/**
 * Every error mulefarm raises on purpose: a class with a stable `code`, and a
 * message that states the rule, names the thing and shows the value
 * ("--processes must be a positive integer: got \"x\"").
 *
 * @example
 * try { await new Mule(9).send("x") } catch (e) { if (e instanceof MuleNotFound) ... }
 */
export class MulefarmError extends Error {
  static code = "MulefarmError";
  /** Stable machine-readable code, equal to the class name. */
  readonly code: string;
  /** Exit status the CLI uses when this error is fatal (2 = usage). */
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    // Names come from a static field, not the class name, which minifiers rename.
    const code = (new.target as unknown as { code?: string }).code ?? "MulefarmError";
    this.name = code;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** A command-line option, ini key or spec string is wrong: exit 2. */
export class UsageError extends MulefarmError {
  static override code = "UsageError";
  constructor(message: string) { super(message, 2); }
}
/** An ini file could not be parsed: names file, line and reason. */
export class IniError extends UsageError {
  static override code = "IniError";
}
/** A module/script spec points at a file that does not exist. */
export class SpecNotFound extends UsageError {
  static override code = "SpecNotFound";
}
/** A module spec names an export the module does not have. */
export class ExportNotFound extends UsageError {
  static override code = "ExportNotFound";
}

export class MuleNotFound extends MulefarmError {
  static override code = "MuleNotFound";
}
export class FarmNotFound extends MulefarmError {
  static override code = "FarmNotFound";
}
export class MessageTooLarge extends MulefarmError {
  static override code = "MessageTooLarge";
}
export class QueueFull extends MulefarmError {
  static override code = "QueueFull";
}
/** A mule message that is neither a string nor bytes (objects go through mulefunc or msgpack, not mule_msg). */
export class InvalidMessage extends MulefarmError {
  static override code = "InvalidMessage";
}
export class NotInMule extends MulefarmError {
  static override code = "NotInMule";
}

export class InvalidSignal extends MulefarmError {
  static override code = "InvalidSignal";
}
export class SignalQueueFull extends MulefarmError {
  static override code = "SignalQueueFull";
}
export class InvalidCron extends MulefarmError {
  static override code = "InvalidCron";
}
export class InvalidTarget extends MulefarmError {
  static override code = "InvalidTarget";
}

export class SpoolError extends MulefarmError {
  static override code = "SpoolError";
}
export class LockError extends MulefarmError {
  static override code = "LockError";
}
export class CacheError extends MulefarmError {
  static override code = "CacheError";
}
export class RpcNotFound extends MulefarmError {
  static override code = "RpcNotFound";
}
export class RpcTimeout extends MulefarmError {
  static override code = "RpcTimeout";
}
export class RpcUnreachable extends MulefarmError {
  static override code = "RpcUnreachable";
}
export class PluginLimitExceeded extends MulefarmError {
  static override code = "PluginLimitExceeded";
}
/** A plugin asks for a capability the operator did not grant: a start-up (usage) error. */
export class CapabilityDenied extends MulefarmError {
  static override code = "CapabilityDenied";
  constructor(message: string) { super(message, 2); }
}

/** A seed `uwsgi` function with no meaning in mulefarm (SNMP, Erlang, the uwsgi protocol): the message says why and what to use. */
export class NotSupported extends MulefarmError {
  static override code = "NotSupported";
}

/** Thrown inside a spool task: run it again later (counts as an attempt). */
export class Retry extends Error {
  constructor(readonly delaySeconds?: number) { super("retry requested"); this.name = "Retry"; }
}
/** Thrown inside a spool task: do not retry, move to failed/ at once. */
export class Unrecoverable extends Error {
  constructor(message: string) { super(message); this.name = "Unrecoverable"; }
}

const BY_CODE: Record<string, new (m: string) => MulefarmError> = {
  MuleNotFound, FarmNotFound, MessageTooLarge, QueueFull, InvalidMessage, NotInMule, InvalidSignal, SignalQueueFull, InvalidCron,
  InvalidTarget, SpoolError, LockError, CacheError, RpcNotFound, RpcTimeout, RpcUnreachable, PluginLimitExceeded, CapabilityDenied,
  NotSupported,
};

/** Rebuilds an error that crossed a process boundary as its own class (by code). */
export function errorFromCode(code: string, message: string): Error {
  const C = BY_CODE[code];
  if (C) return new C(message);
  const e = new Error(message);
  e.name = code;
  return e;
}

/**
 * A value as a message shows it: strings quoted, numbers as written (NaN and
 * Infinity too, which JSON would turn into null), anything else as JSON.
 *
 * @example
 * `got ${shown(NaN)}`; // "got NaN"
 */
export function shown(v: unknown): string {
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean" || v === undefined) return String(v);
  if (typeof v === "function") return "a function";
  try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
}

/** Turns any thrown value into one log-friendly line, never a stack trace. */
export function oneLine(e: unknown): string {
  if (e instanceof MulefarmError) return e.message;
  if (e instanceof Error) return `${e.name}: ${e.message}`.split("\n")[0];
  return String(e).split("\n")[0];
}
