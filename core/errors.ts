/**
 * Every error mulefarm raises on purpose: a class with a stable `code`, and a
 * message that states the rule, names the thing and shows the value
 * ("--processes must be a positive integer: got \"x\"").
 *
 * @example
 * try { await new Mule(9).send("x") } catch (e) { if (e instanceof MuleNotFound) ... }
 */
type ErrorFactory = (message: string) => Error;
const REGISTRY = new Map<string, ErrorFactory>();

/**
 * Every error class calls this from its static block, so errorFromCode knows
 * it with no list to keep. A code registered twice is a programming error.
 */
function register(C: { code: string; new (...args: any[]): Error }, make: ErrorFactory = (m) => new C(m)): void {
  if (REGISTRY.has(C.code)) throw new Error(`error code ${C.code} is registered twice`);
  REGISTRY.set(C.code, make);
}

/** The codes errorFromCode rebuilds as their own class (every error class mulefarm has). */
export function registeredErrorCodes(): string[] {
  return [...REGISTRY.keys()];
}

export class MulefarmError extends Error {
  static code = "MulefarmError";
  static { register(this); }
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
  static { register(this); }
  constructor(message: string) { super(message, 2); }
}
/** An ini file could not be parsed: names file, line and reason. */
export class IniError extends UsageError {
  static override code = "IniError";
  static { register(this); }
}
/** A module/script spec points at a file that does not exist. */
export class SpecNotFound extends UsageError {
  static override code = "SpecNotFound";
  static { register(this); }
}
/** A module spec names an export the module does not have. */
export class ExportNotFound extends UsageError {
  static override code = "ExportNotFound";
  static { register(this); }
}

export class MuleNotFound extends MulefarmError {
  static override code = "MuleNotFound";
  static { register(this); }
}
export class FarmNotFound extends MulefarmError {
  static override code = "FarmNotFound";
  static { register(this); }
}
export class MessageTooLarge extends MulefarmError {
  static override code = "MessageTooLarge";
  static { register(this); }
}
export class QueueFull extends MulefarmError {
  static override code = "QueueFull";
  static { register(this); }
}
/** A mule message that is neither a string nor bytes (objects go through mulefunc or msgpack, not mule_msg). */
export class InvalidMessage extends MulefarmError {
  static override code = "InvalidMessage";
  static { register(this); }
}
export class NotInMule extends MulefarmError {
  static override code = "NotInMule";
  static { register(this); }
}

export class InvalidSignal extends MulefarmError {
  static override code = "InvalidSignal";
  static { register(this); }
}
export class SignalQueueFull extends MulefarmError {
  static override code = "SignalQueueFull";
  static { register(this); }
}
export class InvalidCron extends MulefarmError {
  static override code = "InvalidCron";
  static { register(this); }
}
export class InvalidTarget extends MulefarmError {
  static override code = "InvalidTarget";
  static { register(this); }
}

export class SpoolError extends MulefarmError {
  static override code = "SpoolError";
  static { register(this); }
}
export class LockError extends MulefarmError {
  static override code = "LockError";
  static { register(this); }
}
export class CacheError extends MulefarmError {
  static override code = "CacheError";
  static { register(this); }
}
export class RpcNotFound extends MulefarmError {
  static override code = "RpcNotFound";
  static { register(this); }
}
export class RpcTimeout extends MulefarmError {
  static override code = "RpcTimeout";
  static { register(this); }
}
export class RpcUnreachable extends MulefarmError {
  static override code = "RpcUnreachable";
  static { register(this); }
}
export class PluginLimitExceeded extends MulefarmError {
  static override code = "PluginLimitExceeded";
  static { register(this); }
}
/** A plugin asks for a capability the operator did not grant: a start-up (usage) error. */
export class CapabilityDenied extends MulefarmError {
  static override code = "CapabilityDenied";
  static { register(this); }
  constructor(message: string) { super(message, 2); }
}

/** A queue operation with a bad argument (slot out of range, item too large), or no queue configured. */
export class QueueError extends MulefarmError {
  static override code = "QueueError";
  static { register(this); }
}
/** A sharedarea access out of range or with a bad argument, or no sharedarea configured. */
export class SharedAreaError extends MulefarmError {
  static override code = "SharedAreaError";
  static { register(this); }
}
/** An embedded file name that does not exist; the message lists the available ones. */
export class EmbeddedFileNotFound extends MulefarmError {
  static override code = "EmbeddedFileNotFound";
  static { register(this); }
}
/** TypeScript cannot be transpiled in this runtime (Deno without a working esbuild). */
export class TranspilerUnavailable extends UsageError {
  static override code = "TranspilerUnavailable";
  static { register(this); }
}

/** Thrown inside a spool task: run it again later (counts as an attempt). */
export class Retry extends Error {
  static code = "Retry";
  static { register(this, () => new Retry()); }
  readonly code = "Retry";
  constructor(readonly delaySeconds?: number) { super("retry requested"); this.name = "Retry"; }
}
/** Thrown inside a spool task: do not retry, move to failed/ at once. */
export class Unrecoverable extends Error {
  static code = "Unrecoverable";
  static { register(this); }
  readonly code = "Unrecoverable";
  constructor(message: string) { super(message); this.name = "Unrecoverable"; }
}

/** Rebuilds an error that crossed a process boundary as its own class (by code). */
export function errorFromCode(code: string, message: string): Error {
  const make = REGISTRY.get(code);
  if (make) return make(message);
  const e = new Error(message);
  e.name = code;
  return e;
}

/**
 * A value as a message shows it: strings quoted, numbers as written (NaN and
 * Infinity too, which JSON would turn into null), anything else as JSON cut
 * to 80 characters.
 *
 * @example
 * `got ${shown(NaN)}`; // "got NaN"
 */
export function shown(v: unknown): string {
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean" || v === undefined) return String(v);
  if (typeof v === "function") return "a function";
  let text: string;
  try { text = JSON.stringify(v) ?? String(v); } catch { text = String(v); }
  // A refused object can be any size: a message keeps one line of it.
  return typeof v === "string" || text.length <= SHOWN_MAX ? text : `${text.slice(0, SHOWN_MAX - 3)}...`;
}

const SHOWN_MAX = 80;

/**
 * The message of a refusal, built one way: the rule, then the value it
 * refused as `shown` shows it.
 *
 * @example
 * throw new UsageError(refused("--processes must be a positive integer", "x")); // --processes must be a positive integer: got "x"
 */
export function refused(rule: string, value: unknown): string {
  return `${rule}: got ${shown(value)}`;
}

/** Turns any thrown value into one log-friendly line, never a stack trace. */
export function oneLine(e: unknown): string {
  if (e instanceof MulefarmError) return e.message;
  if (e instanceof Error) return `${e.name}: ${e.message}`.split("\n")[0];
  return String(e).split("\n")[0];
}
