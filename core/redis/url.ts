// A Redis is named by URL everywhere (options, ini files, spool(..., { spooler })):
// redis://[user:password@]host:port[/db][#NAME], rediss:// for TLS. The
// fragment names a spool (or cache) inside that Redis; it is not sent to Redis.
import { UsageError, shown } from "../errors.ts";

export interface RedisAddress {
  /** The URL without its fragment: what identifies the server and db. */
  url: string;
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls: boolean;
  /** The #NAME part, or "" when absent. */
  name: string;
}

export function isRedisUrl(s: string): boolean {
  return /^rediss?:\/\//i.test(s);
}

/** `what` names the option or argument in the error ("--spooler", "--redis"). */
export function parseRedisUrl(s: string, what = "a Redis address"): RedisAddress {
  const bad = (rule: string) => new UsageError(`${what} ${rule}: got ${shown(s)}`);
  let u: URL;
  try { u = new URL(s); } catch { throw bad("must be redis://[user:password@]host:port[/db][#name]"); }
  const tls = u.protocol === "rediss:";
  if (!tls && u.protocol !== "redis:") throw bad("must start with redis:// or rediss://");
  if (!u.hostname) throw bad("must name a host");
  const port = u.port === "" ? 6379 : Number(u.port);
  const path = u.pathname.replace(/^\//, "");
  if (path !== "" && !/^\d+$/.test(path)) throw bad("must name a database by number after the host");
  const db = path === "" ? 0 : Number(path);
  if (db > 15) throw bad("must name a database from 0 to 15");
  const name = decodeURIComponent(u.hash.replace(/^#/, ""));
  if (name && !/^[A-Za-z0-9_.:-]{1,100}$/.test(name)) throw bad("must name its spool with letters, digits, _ . : - (at most 100)");
  const host = u.hostname.replace(/^\[|\]$/g, "");
  return {
    url: `${u.protocol}//${u.username ? `${u.username}${u.password ? ":" + u.password : ""}@` : ""}${u.host}/${db}`,
    host,
    port,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
    tls,
    name,
  };
}
