// One wording for "cannot listen on ADDR" whichever runtime failed: Bun and
// Deno report the same failure with different codes and messages (Bun gives
// no code at all for a host it cannot resolve), so the reason is derived from
// the code, and a host name is resolved first so that an unknown one is
// named as such on both.
//
// @example
// await checkListenHost("--http", "no-such-host.invalid", 8080); // throws: cannot listen on no-such-host.invalid:8080: unknown host
// listenError("--stats", "127.0.0.1:9191", e);                   // MulefarmError: cannot ... : address already in use (exit 1)
import { MulefarmError, UsageError } from "../errors.ts";
import { dns, net } from "../base/lazy-builtins.ts";

/** The reason of a failed listen, from its code (the same words on Bun and Deno). */
export function listenReason(e: any): string {
  switch (e?.code) {
    case "EADDRINUSE": return "address already in use";
    case "EACCES": case "EPERM": return "permission denied";
    case "EADDRNOTAVAIL": case "EINVAL": return "not an address of this machine";
    case "ENOTFOUND": case "EAI_AGAIN": case "EAI_NONAME": return "unknown host";
    case "ENOENT": return "its directory does not exist";
    case "ENOTDIR": return "a part of its path is not a directory";
    case undefined: return String(e?.message ?? e).split("\n")[0];
    default: return e.code;
  }
}

/**
 * The error for a failed listen: exit 1 when the address is busy (the
 * machine's state, not the option), 2 when the address itself is wrong.
 * `what` opens the line: "cannot listen on", "cannot start the stats server on".
 */
export function listenError(what: string, addr: string, e: any): MulefarmError {
  const reason = listenReason(e);
  return e?.code === "EADDRINUSE" ? new MulefarmError(`${what} ${addr}: ${reason}`, 1) : new UsageError(`${what} ${addr}: ${reason}`);
}

/** Throws listenError(...) "unknown host" when `host` is a name that does not resolve (IP literals are left to listen). */
export async function checkListenHost(what: string, host: string, port: number): Promise<void> {
  if (net().isIP(host) !== 0) return;
  try {
    await dns().promises.lookup(host);
  } catch (e: any) {
    throw listenError(what, `${host}:${port}`, { code: "ENOTFOUND" });
  }
}
