/**
 * The spool task record and its on-disk encoding.
 *
 * A task file is data only, never code (uWSGI stores pickles, which run code
 * when read): a 5-byte header, then one msgpack map.
 *
 *   offset 0  "MFSP"       magic, tells a task from a foreign file
 *   offset 4  u8 version   1; a newer version is refused, not guessed at
 *   offset 5  msgpack      the TaskRecord below
 *
 * msgpack (not JSON) so that Dates and byte arrays in `args` and `body`
 * come back as Dates and Uint8Arrays.
 *
 * @example
 * const bytes = encodeTask({ v: 1, name: "resize", args: { w: 64 }, attempts: 0, enqueuedAt: Date.now() });
 * decodeTask(bytes).args.w; // 64
 */
import { Packr } from "msgpackr/pack";

/** One queued call of a spool function, as stored. */
export interface TaskRecord {
  /** Record layout version, always 1. */
  v: 1;
  /** Name of the registered task function (looked up in the spooler, never stored as code). */
  name: string;
  /** Structured arguments: anything msgpack carries, Dates and Uint8Arrays included. */
  args: any;
  /** Raw bytes passed beside the args (uWSGI's `body`). */
  body?: Uint8Array;
  /** Not run before this time, unix ms. */
  at?: number;
  /** Priority sub-directory; lower runs first. */
  priority?: number;
  /** Failed attempts allowed before the task moves to failed/ (see policy.ts for the default). */
  retries?: number;
  /** Base of the exponential back-off between attempts, seconds. */
  backoff?: number;
  /** Attempts that ended badly so far (an error, a retry, or a process that died running it). */
  attempts: number;
  /** Dedup key: a second task with it is refused while this one is pending or running. */
  key?: string;
  /** When the task was first accepted, unix ms. */
  enqueuedAt: number;
  /** The last error text, one line. */
  lastError?: string;
  /** When the task moved to failed/, unix ms. */
  failedAt?: number;
  /** Opaque text carried unchanged from enqueue to every claim (W3C trace context). */
  trace?: string;
}

/** The 4 magic bytes "MFSP". */
export const TASK_MAGIC = new Uint8Array([0x4d, 0x46, 0x53, 0x50]);
/** Current file format version byte. */
export const TASK_FORMAT_VERSION = 1;
const HEADER = TASK_MAGIC.length + 1;

// One shared configuration: every process must read exactly what others
// wrote. No records extension (it generates code from key lists), and big
// integers are kept instead of refused.
const packr = new Packr({ useRecords: false, useBigIntExtension: true } as any);

/** The file is not a valid task; `message` is the quarantine reason. */
export class TaskDecodeError extends Error {
  constructor(message: string) { super(message); this.name = "TaskDecodeError"; }
}

/** Encodes a record into the bytes of a task file. */
export function encodeTask(task: TaskRecord): Uint8Array {
  const clean: Record<string, unknown> = {};
  // Drop undefined fields so the file carries no meaningless nils.
  for (const [k, val] of Object.entries(task)) if (val !== undefined) clean[k] = val;
  const body: Uint8Array = packr.pack(clean);
  const out = new Uint8Array(HEADER + body.length);
  out.set(TASK_MAGIC, 0);
  out[TASK_MAGIC.length] = TASK_FORMAT_VERSION;
  out.set(body, HEADER);
  return out;
}

/**
 * Decodes task file bytes; throws TaskDecodeError with a one-line reason
 * (never anything else) when the bytes are not a valid task.
 */
export function decodeTask(bytes: Uint8Array): TaskRecord {
  if (bytes.length < HEADER) throw new TaskDecodeError(`too short for a task file (${bytes.length} bytes)`);
  for (let i = 0; i < TASK_MAGIC.length; i++) {
    if (bytes[i] !== TASK_MAGIC[i]) throw new TaskDecodeError("bad magic (not a mulefarm task file)");
  }
  const version = bytes[TASK_MAGIC.length];
  if (version !== TASK_FORMAT_VERSION) throw new TaskDecodeError(`unsupported task format version ${version}`);
  let rec: any;
  try {
    rec = packr.unpack(bytes.subarray(HEADER));
  } catch (e) {
    throw new TaskDecodeError(`unparsable msgpack: ${(e as Error).message}`.split("\n")[0]);
  }
  const bad = invalidField(rec);
  if (bad) throw new TaskDecodeError(`invalid task record: ${bad}`);
  return rec as TaskRecord;
}

function invalidField(r: any): string | null {
  if (r === null || typeof r !== "object" || Array.isArray(r)) return "not a map";
  if (r.v !== 1) return `v is ${JSON.stringify(r.v)}, expected 1`;
  if (typeof r.name !== "string" || r.name === "") return "name is not a non-empty string";
  if (!Number.isInteger(r.attempts) || r.attempts < 0) return "attempts is not a non-negative integer";
  if (typeof r.enqueuedAt !== "number") return "enqueuedAt is not a number";
  for (const f of ["at", "priority", "retries", "backoff", "failedAt"]) {
    if (r[f] !== undefined && typeof r[f] !== "number") return `${f} is not a number`;
  }
  if (r.body !== undefined && !(r.body instanceof Uint8Array)) return "body is not bytes";
  if (r.key !== undefined && typeof r.key !== "string") return "key is not a string";
  if (r.trace !== undefined && typeof r.trace !== "string") return "trace is not a string";
  return null;
}
