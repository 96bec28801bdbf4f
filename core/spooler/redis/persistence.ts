// "Accepted" keeps its meaning on Redis: spool() resolves once Redis has the
// task durably, which Redis gives only with an append-only file fsynced on
// every write (appendonly yes + appendfsync always: Redis fsyncs before it
// sends the replies of that event-loop turn). Anything weaker is refused at
// start with one line saying what to set, unless --spooler-sync none says
// that "in Redis's memory" will do.
import { RedisNotDurable, RedisUnavailable, oneLine } from "../../errors.ts";
import { readPersistence, shownUrl, type RedisClient } from "../../redis/client.ts";
import type { SyncMode } from "../store.ts";

/** Throws RedisNotDurable (exit 2) unless Redis fsyncs every write, or `sync` is "none". */
export async function checkPersistence(c: RedisClient, address: string, sync: SyncMode, boundMs: number): Promise<void> {
  if (sync === "none") return;
  let got: string;
  try {
    // As long as spool() waits for a lost connection: a process may open the store during an outage.
    const p = await readPersistence(c, boundMs);
    if (p.appendonly && p.appendfsync === "always") return;
    got = `appendonly ${p.appendonly ? "yes" : "no"}, appendfsync ${p.appendfsync}`;
  } catch (e) {
    if (e instanceof RedisUnavailable) throw e;
    got = `CONFIG GET refused (${oneLine((e as Error)?.message ?? e)})`;
  }
  const where = `${shownUrl(c.address)}${c.address.name ? "#" + c.address.name : ""}`;
  throw new RedisNotDurable(
    `spooler ${where} needs Redis to fsync every accepted task: set appendonly yes and appendfsync always ` +
    `(redis.conf or CONFIG SET), or start with --spooler-sync none to accept tasks held in Redis's memory only: got ${got}`,
  );
}
