// Node built-ins that only some processes need, loaded on first use. A static
// import is evaluated by every process at start (the bundle hoists them), and
// these are the costly ones: node:net and node:child_process pull in the
// streams machinery (~5 ms), node:url and node:fs/promises a few ms more.
// Seven processes starting on two cores pay that seven times.
import process from "node:process";

const cache = new Map<string, unknown>();
function load<T>(name: string): T {
  let m = cache.get(name);
  if (!m) cache.set(name, (m = (process as any).getBuiltinModule(name)));
  return m as T;
}

/** node:net: TCP servers, the stats server, RPC, and IPC under Deno (Bun's IPC uses its native sockets). */
export const net = (): typeof import("node:net") => load("node:net");
/** node:child_process: the master's spawns and cron commands. */
export const childProcess = (): typeof import("node:child_process") => load("node:child_process");
/** node:url: file URLs of user modules. */
export const url = (): typeof import("node:url") => load("node:url");
/** node:crypto: SHA-1 of spool keys and app payloads (random bytes come from Web Crypto). */
export const nodeCrypto = (): typeof import("node:crypto") => load("node:crypto");
/** node:dns: resolving a listen address's host name once, at start. */
export const dns = (): typeof import("node:dns") => load("node:dns");
/** node:fs/promises: the spooler's priority directories, catch-up records, the sandbox's reads. */
export const fsp = (): typeof import("node:fs/promises") => load("node:fs/promises");
