// "Accepted" keeps its meaning on Redis: spool() resolves once Redis has the
// task durably, which Redis gives only with an append-only file fsynced on
// every write (appendonly yes + appendfsync always: the reply leaves after
// the fsync). Anything weaker is refused at start with one line saying what
// to set, unless --spooler-sync none says that "in Redis's memory" will do.
import { oneLine } from "../../errors.ts";
import type { RedisAddress } from "../../redis/url.ts";
import type { RedisClient } from "./connect.ts";
import { RedisNotDurable, shownUrl } from "./errors.ts";

/** What Redis says about its persistence; `null` fields when CONFIG is not allowed. */
export async function readPersistence(c: RedisClient): Promise<{ appendonly: string | null; appendfsync: string | null; error?: string }> {
  try {
    const a = (await c.call("CONFIG", "GET", "appendonly")) as string[];
    const f = (await c.call("CONFIG", "GET", "appendfsync")) as string[];
    return { appendonly: a?.[1] ?? null, appendfsync: f?.[1] ?? null };
  } catch (e) {
    return { appendonly: null, appendfsync: null, error: oneLine((e as any)?.message ?? e) };
  }
}

/** Throws RedisNotDurable (exit 2) unless Redis fsyncs every write; `sync` is --spooler-sync. */
export async function checkPersistence(c: RedisClient, addr: RedisAddress, option: string, sync: string): Promise<void> {
  if (sync === "none") return;
  const p = await readPersistence(c);
  if (p.appendonly === "yes" && p.appendfsync === "always") return;
  const got = p.error !== undefined
    ? `CONFIG GET was refused (${p.error})`
    : `appendonly ${p.appendonly}, appendfsync ${p.appendfsync}`;
  throw new RedisNotDurable(
    `${option} ${shownUrl(addr)}#${addr.name} needs Redis to fsync every accepted task (appendonly yes, appendfsync always; ` +
    `set them in redis.conf or with CONFIG SET), or --spooler-sync none to accept tasks held in Redis's memory only: got ${got}`,
  );
}
