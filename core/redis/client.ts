// The one way mulefarm opens a Redis connection (the spooler's Redis store, the
// fleet, cluster locks, caches, signals and cron all come through here).
// ioredis is imported on first use only: an instance that names no Redis never
// loads it (one dynamic import, cached).
//
// Choices, and why:
// - auto-pipelining off: it costs blocking workers ~40 % on loopback and makes
//   round trips harder to count; callers pipeline explicitly.
// - reconnects by itself forever (capped back-off), so a Redis restart needs
//   no mulefarm restart.
// - commands are not queued while disconnected (enableOfflineQueue false):
//   `run(bound, fn)` waits up to `bound` ms for the connection, then rejects
//   with RedisUnavailable without having sent anything, so a caller that gave
//   up never has its write land later behind its back. A command already sent
//   when the link drops is re-sent after the reconnect (ioredis'
//   autoResendUnfulfilledCommands); scripts must be idempotent for that.
// - a blocking or subscriber connection is a separate connection (`duplicate`),
//   since a blocked BZPOPMIN or a SUBSCRIBE holds its whole connection.
import type { Redis as IORedis, RedisOptions } from "ioredis";
import { RedisUnavailable, RedisUnreachable } from "../errors.ts";
import type { RedisAddress } from "./url.ts";

export type { IORedis };
type RedisCtor = new (opts: RedisOptions) => IORedis;

let ctor: Promise<RedisCtor> | undefined;
/** Loads ioredis once; every connection shares the module. */
function loadIORedis(): Promise<RedisCtor> {
  ctor ??= import("ioredis").then((m: any) => (m.default ?? m.Redis) as RedisCtor);
  return ctor;
}

/** The URL as logs and errors show it: the password masked. */
export function shownUrl(a: RedisAddress): string {
  return a.password ? a.url.replace(/:[^:@/]*@/, ":***@") : a.url;
}

export type ConnectionPurpose = "command" | "blocking" | "subscriber";

export interface OpenOptions {
  /** Shown in CLIENT LIST (mf:<purpose>:<pid> by default). */
  name?: string;
  purpose?: ConnectionPurpose;
  /** Give up connecting after this many ms: used by the start-up check. Default: retry forever. */
  connectTimeoutMs?: number;
}

export interface RedisClient {
  readonly address: RedisAddress;
  readonly purpose: ConnectionPurpose;
  /** The ioredis connection itself, for commands sent while `up`. */
  readonly redis: IORedis;
  /** True while the connection is ready for commands. */
  readonly up: boolean;
  /**
   * Runs `fn` once the connection is ready, waiting at most `boundMs` for it
   * (0 = only if up now). Rejects with RedisUnavailable, naming `what`, when
   * the bound passes first; nothing was sent then.
   */
  run<T>(boundMs: number, fn: (r: IORedis) => Promise<T>, what?: string): Promise<T>;
  /** Resolves when ready; rejects with RedisUnavailable after `boundMs`. */
  ready(boundMs: number, what?: string): Promise<void>;
  /** Called on every transition (after the first connect too), e.g. to resume a stream read. */
  onState(fn: (up: boolean) => void): () => void;
  /** A new connection to the same Redis for blocking commands or pub/sub. */
  duplicate(purpose: Exclude<ConnectionPurpose, "command">, name?: string): Promise<RedisClient>;
  /** Closes without waiting for pending replies (QUIT when up, else disconnect). */
  close(): Promise<void>;
}

function optionsFor(a: RedisAddress, o: OpenOptions): RedisOptions {
  const purpose = o.purpose ?? "command";
  const once = o.connectTimeoutMs !== undefined;
  return {
    host: a.host,
    port: a.port,
    username: a.username,
    password: a.password,
    db: a.db,
    tls: a.tls ? {} : undefined,
    connectionName: o.name ?? `mf:${purpose}:${process.pid}`,
    enableAutoPipelining: false,
    enableOfflineQueue: false,
    // A command sent before the drop is re-sent after the reconnect, whatever
    // the number of attempts; run() bounds the wait before sending instead.
    maxRetriesPerRequest: null,
    lazyConnect: true,
    connectTimeout: o.connectTimeoutMs ?? 5_000,
    // Back-off 50 ms doubling to 1 s: a restarted Redis is found within a
    // second, and a dead one costs one connect attempt a second.
    retryStrategy: once ? () => null : (times: number) => Math.min(50 * 2 ** Math.min(times, 5), 1_000),
    // Pub/sub and blocking connections must not answer INFO in the ready check.
    enableReadyCheck: purpose === "command",
    disableClientInfo: true,
    // A blocked command whose reply never comes after a short disconnect
    // (redis/ioredis#1888) is given up BLOCK + 1 s later instead of hanging.
    ...(purpose === "blocking" ? { blockingTimeout: 60_000, blockingTimeoutGrace: 1_000 } : {}),
  } as RedisOptions;
}

function reasonOf(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const m = String(err?.message ?? e).split("\n")[0];
  return m.replace(/^Error: /, "");
}

/**
 * Opens a connection. With `connectTimeoutMs` it connects once and rejects
 * with RedisUnreachable (one line: the URL and the reason) when it cannot;
 * without it, it returns at once and keeps (re)connecting in the background.
 */
export async function openRedis(a: RedisAddress, o: OpenOptions = {}): Promise<RedisClient> {
  const Redis = await loadIORedis();
  const purpose = o.purpose ?? "command";
  const r = new Redis(optionsFor(a, o));
  const listeners = new Set<(up: boolean) => void>();
  const waiters = new Set<() => void>();
  let up = false;
  let closed = false;
  let lastError = "";
  const set = (v: boolean) => {
    if (v === up) return;
    up = v;
    if (v) for (const w of [...waiters]) w();
    for (const l of [...listeners]) { try { l(v); } catch { /* a listener's fault is its own */ } }
  };
  r.on("ready", () => set(true));
  r.on("close", () => set(false));
  r.on("end", () => set(false));
  // ioredis emits "error" for every failed attempt; without a listener that is an unhandled error.
  r.on("error", (e: unknown) => { lastError = reasonOf(e); });

  if (o.connectTimeoutMs !== undefined) {
    try {
      await r.connect();
      if (purpose === "command") await r.ping();
    } catch (e) {
      r.disconnect();
      const reason = reasonOf(lastError || e);
      throw Object.assign(new RedisUnreachable(`Redis ${shownUrl(a)} must be reachable at start: got ${reason}`), { reason });
    }
  } else {
    r.connect().catch(() => { /* retried by retryStrategy; the state listeners tell */ });
  }

  const ready = (boundMs: number, what = "a Redis command") =>
    new Promise<void>((resolve, reject) => {
      if (up) return resolve();
      if (closed) return reject(new RedisUnavailable(`${what} needs Redis: got a closed connection to ${shownUrl(a)}`));
      let t: ReturnType<typeof setTimeout> | undefined;
      const w = () => { waiters.delete(w); if (t) clearTimeout(t); resolve(); };
      waiters.add(w);
      t = setTimeout(() => {
        waiters.delete(w);
        reject(new RedisUnavailable(`${what} needs Redis within ${boundMs} ms: got no connection to ${shownUrl(a)}${lastError ? ` (${lastError})` : ""}`));
      }, Math.max(0, boundMs));
    });

  const client: RedisClient = {
    address: a,
    purpose,
    redis: r,
    get up() { return up; },
    async run(boundMs, fn, what) {
      if (!up) await ready(boundMs, what);
      return fn(r);
    },
    ready,
    onState(fn) { listeners.add(fn); return () => listeners.delete(fn); },
    duplicate(p, name) { return openRedis(a, { purpose: p, name }); },
    async close() {
      closed = true;
      listeners.clear();
      if (up) { try { await r.quit(); return; } catch { /* fall through */ } }
      r.disconnect();
    },
  };
  return client;
}

/**
 * The start-up check every Redis user runs once: connect, PING, close. Throws
 * RedisUnreachable (exit 1) naming `what`, the URL and the reason.
 */
export async function checkRedis(a: RedisAddress, what = "--redis", timeoutMs = 3_000): Promise<void> {
  try {
    const c = await openRedis(a, { connectTimeoutMs: timeoutMs, name: `mf:check:${process.pid}` });
    await c.close();
  } catch (e) {
    if (e instanceof RedisUnreachable) {
      throw new RedisUnreachable(`${what} ${shownUrl(a)} must be reachable at start: got ${(e as { reason?: string }).reason}`);
    }
    throw e;
  }
}

export interface Persistence {
  appendonly: boolean;
  /** "always" | "everysec" | "no" */
  appendfsync: string;
  /** RDB save points ("" when none). */
  save: string;
}

/** Reads what a Redis does with writes (CONFIG GET), for durable-accept checks. */
export async function readPersistence(c: RedisClient, boundMs = 5_000): Promise<Persistence> {
  return c.run(boundMs, async (r) => {
    const pairs = (await r.call("CONFIG", "GET", "append*")) as string[];
    const save = (await r.call("CONFIG", "GET", "save")) as string[];
    const m = new Map<string, string>();
    for (let i = 0; i + 1 < pairs.length; i += 2) m.set(String(pairs[i]), String(pairs[i + 1]));
    return { appendonly: m.get("appendonly") === "yes", appendfsync: m.get("appendfsync") ?? "everysec", save: String(save[1] ?? "") };
  }, "reading Redis persistence settings");
}
