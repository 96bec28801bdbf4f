/**
 * The host operations behind the guest API: log/console, signal, mule.send,
 * cache, spool, env, fetch and fs.readFile, each checking its capability
 * first, plus the URL and UTF-8 helpers the prelude builds on. The guest
 * reaches them through the one host function, `__mf_call(op, args)`
 * (sandbox.ts); nothing the guest passes is trusted.
 *
 * @module
 */
import { fsp } from "../../core/base/lazy-builtins.ts";
import { dirname, resolve } from "node:path";
import { CapabilityDenied, refused } from "../../core/errors.ts";
import { writeErr } from "../../core/log.ts";
import { type CapabilitySet, isInside } from "./capabilities.ts";
import type { HostApi, Limits } from "./host-api.ts";

/** One host operation: the guest's (decoded) arguments in, a plain value or a promise of one out. */
export type Op = (args: unknown[]) => unknown;

/** Who the guest is and what it may do. Read at every call: Sandbox.configure changes it. */
export interface GuestScope {
  /** Prefix of limit messages: `plugin "hello"` or `mule 3`. */
  label: string;
  /** Name given to host callbacks as `source`. */
  source: string;
  caps: CapabilitySet;
  /** How a denied capability should be granted, for error messages: `--grant hello:` */
  grantHint: string;
  host: HostApi;
  limits: Limits;
}

const LEVELS = new Set(["debug", "info", "warn", "error"]);
const enc8 = new TextEncoder();
const dec8 = new TextDecoder();

/** The operations a guest of scope `o` may call (the sandbox adds `settle`, a light mule `getMessage`). */
export function hostOps(o: GuestScope): Record<string, Op> {
  return {
    utf8encode: ([s]) => enc8.encode(String(s)),
    urlparse: ([url, base]) => {
      let u: URL;
      // undefined crosses the boundary as null (JSON): both mean "no base".
      const noBase = base === undefined || base === null;
      try { u = noBase ? new URL(String(url)) : new URL(String(url), String(base)); } catch {
        throw new TypeError(`Invalid URL: ${JSON.stringify(url)}${noBase ? "" : ` (base ${JSON.stringify(base)})`}`);
      }
      const { href, origin, protocol, username, password, host, hostname, port, pathname, search, hash } = u;
      return { href, origin, protocol, username, password, host, hostname, port, pathname, search, hash };
    },
    utf8decode: ([b]) => {
      if (!(b instanceof Uint8Array)) throw new TypeError("TextDecoder.decode needs a Uint8Array or ArrayBuffer");
      return dec8.decode(b);
    },
    log: ([level, line, fromConsole]) => {
      if (!o.caps.has("log")) {
        if (fromConsole === true) return; // console.* without the log capability: a silent no-op
        throw denied(o, "log");
      }
      const lv = LEVELS.has(String(level)) ? (String(level) as "info") : "info";
      if (o.host.log) o.host.log(o.source, String(line), lv);
      else writeErr(`[${o.source}] ${String(line)}\n`);
    },
    signal: ([num]) => {
      need(o, "signal", "signal");
      if (!Number.isInteger(num) || (num as number) < 0 || (num as number) > 255) throw new RangeError(refused("signal number must be an integer 0-255", num));
      return hostFn(o, "raiseSignal")(o.source, num as number);
    },
    muleSend: ([target, msg]) => {
      need(o, "mule", "mule");
      if (typeof msg !== "string" && !(msg instanceof Uint8Array)) throw new TypeError(refused("a mule message must be a string or a Uint8Array", msg));
      if (target !== undefined && target !== null && typeof target !== "number" && typeof target !== "string") throw new TypeError(refused("a mule target must be a mule id, a farm name or undefined", target));
      return hostFn(o, "muleSend")(o.source, (target ?? undefined) as number | string | undefined, msg);
    },
    cacheGet: ([key, opts]) => {
      need(o, "cache", "cache");
      return hostFn(o, "cacheGet")(o.source, String(key), (opts ?? undefined) as { cache?: string });
    },
    cacheSet: ([key, value, opts]) => {
      need(o, "cache", "cache");
      return hostFn(o, "cacheSet")(o.source, String(key), value, (opts ?? undefined) as { expires?: number; update?: boolean });
    },
    spool: ([name, args]) => {
      need(o, "spool", "spool");
      if (args === null || typeof args !== "object" || Array.isArray(args)) throw new TypeError(refused("spool(name, args): args must be an object", args));
      return hostFn(o, "spool")(o.source, String(name), args as Record<string, unknown>);
    },
    env: ([name]) => {
      const n = String(name);
      if (!o.caps.envAllows(n)) throw denied(o, `env:${n}`);
      const v = o.host.env ? o.host.env(o.source, n) : process.env[n];
      return v ?? undefined;
    },
    fetch: ([url, init]) => doFetch(o, String(url), (init ?? {}) as Record<string, unknown>),
    readFile: ([path, encoding]) => doReadFile(o, String(path), encoding),
  };
}

function need(o: GuestScope, kind: Parameters<CapabilitySet["has"]>[0], label: string): void {
  if (!o.caps.has(kind)) throw denied(o, label);
}

function denied(o: GuestScope, cap: string): CapabilityDenied {
  return new CapabilityDenied(`${o.label} has no "${cap}" capability (it must be declared and granted: --grant ${o.grantHint}${cap})`);
}

function hostFn<K extends keyof HostApi>(o: GuestScope, name: K): NonNullable<HostApi[K]> {
  const f = o.host[name];
  if (typeof f !== "function") throw new Error(`the host does not provide ${name}`);
  return (f as (...a: unknown[]) => unknown).bind(o.host) as NonNullable<HostApi[K]>;
}

async function doFetch(o: GuestScope, raw: string, init: Record<string, unknown>): Promise<unknown> {
  let url: URL;
  try { url = new URL(raw); } catch { throw new TypeError(`fetch: invalid URL ${JSON.stringify(raw)}`); }
  if (!o.caps.fetchAllows(url)) {
    const hp = url.port ? `${url.hostname}:${url.port}` : url.hostname;
    throw denied(o, `fetch:${hp}`);
  }
  const req: RequestInit = { method: typeof init.method === "string" ? init.method : "GET", redirect: "manual" };
  if (Array.isArray(init.headers)) req.headers = (init.headers as unknown[]).filter((p): p is [string, string] => Array.isArray(p) && p.length === 2).map(([k, v]) => [String(k), String(v)]);
  if (typeof init.body === "string" || init.body instanceof Uint8Array) req.body = init.body as BodyInit;
  req.signal = AbortSignal.timeout(o.limits.wallMsPerCall);
  const res = o.host.fetch ? await o.host.fetch(o.source, url.href, req) : await fetch(url.href, req);
  const max = o.limits.memoryBytes;
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        throw new RangeError(`fetch: response body of ${url.href} is larger than the memory limit of ${max} bytes`);
      }
      chunks.push(value);
    }
  }
  const body = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) { body.set(c, off); off += c.byteLength; }
  return { status: res.status, statusText: res.statusText, url: res.url || url.href, headers: [...res.headers], body };
}

async function doReadFile(o: GuestScope, path: string, encoding: unknown): Promise<unknown> {
  const dirs = o.caps.readDirs;
  if (!dirs.length) throw denied(o, "fs:read:DIR");
  if (path.includes("\0")) throw new TypeError("fs.readFile: path contains a NUL byte");
  const abs = resolve(dirs[0], path);
  // Lexical check first, so nothing outside the granted dirs is even looked at.
  if (!dirs.some((d) => isInside(d, abs))) throw denied(o, `fs:read:${dirname(abs)}`);
  let real: string;
  try { real = await fsp().realpath(abs); } catch (e) {
    throw new Error(`fs.readFile: ${(e as NodeJS.ErrnoException).code ?? "error"}: ${path}`);
  }
  if (!dirs.some((d) => isInside(d, real))) throw denied(o, `fs:read:${dirname(real)}`);
  const st = await fsp().stat(real);
  if (!st.isFile()) throw new Error(`fs.readFile: not a file: ${path}`);
  if (st.size > o.limits.memoryBytes) throw new RangeError(`fs.readFile: ${path} is larger than the memory limit of ${o.limits.memoryBytes} bytes`);
  const buf = await fsp().readFile(real);
  if (encoding === "utf8" || encoding === "utf-8") return dec8.decode(buf);
  if (encoding !== undefined && encoding !== null) throw new TypeError(refused(`fs.readFile: encoding must be "utf8" or omitted`, encoding));
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
