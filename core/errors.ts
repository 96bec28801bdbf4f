/**
 * Every error mulefarm raises on purpose: a class with a stable `code`, and a
 * message that states the rule, names the thing and shows the value
 * ("--processes must be a positive integer: got \"x\"").
 *
 * @example
 * try { await new Mule(9).send("x") } catch (e) { if (e instanceof MuleNotFound) ... }
 */
export class MulefarmError extends Error {
  /** Stable machine-readable code, equal to the class name. */
  readonly code: string;
  /** Exit status the CLI uses when this error is fatal (2 = usage). */
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = new.target.name;
    this.code = new.target.name;
    this.exitCode = exitCode;
  }
}

/** A command-line option, ini key or spec string is wrong: exit 2. */
export class UsageError extends MulefarmError {
  constructor(message: string) { super(message, 2); }
}
/** An ini file could not be parsed: names file, line and reason. */
export class IniError extends UsageError {}
/** A module/script spec points at a file that does not exist. */
export class SpecNotFound extends UsageError {}
/** A module spec names an export the module does not have. */
export class ExportNotFound extends UsageError {}

export class MuleNotFound extends MulefarmError {}
export class FarmNotFound extends MulefarmError {}
export class MessageTooLarge extends MulefarmError {}
export class QueueFull extends MulefarmError {}
export class NotInMule extends MulefarmError {}

export class InvalidSignal extends MulefarmError {}
export class SignalQueueFull extends MulefarmError {}
export class InvalidCron extends MulefarmError {}
export class InvalidTarget extends MulefarmError {}

export class SpoolError extends MulefarmError {}
export class LockError extends MulefarmError {}
export class CacheError extends MulefarmError {}
export class RpcNotFound extends MulefarmError {}
export class RpcTimeout extends MulefarmError {}
export class PluginLimitExceeded extends MulefarmError {}
export class CapabilityDenied extends MulefarmError {}

/** Thrown inside a spool task: run it again later (counts as an attempt). */
export class Retry extends Error {
  constructor(readonly delaySeconds?: number) { super("retry requested"); this.name = "Retry"; }
}
/** Thrown inside a spool task: do not retry, move to failed/ at once. */
export class Unrecoverable extends Error {
  constructor(message: string) { super(message); this.name = "Unrecoverable"; }
}

/** Turns any thrown value into one log-friendly line, never a stack trace. */
export function oneLine(e: unknown): string {
  if (e instanceof MulefarmError) return e.message;
  if (e instanceof Error) return `${e.name}: ${e.message}`.split("\n")[0];
  return String(e).split("\n")[0];
}
