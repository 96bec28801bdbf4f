// The Redis store's entry for openStore (open.ts): redis://…#NAME and
// rediss://…#NAME. Loaded only when such an address is used, so nothing
// about Redis (ioredis included) loads otherwise.
//
// Opening checks, once per process, that Redis fsyncs every write unless the
// store only inspects or sync is "none" (else RedisNotDurable, exit 2 at
// start, one line saying what to set). A Redis that is down is waited for
// (a process may open the store during an outage: its first spool() then
// rejects with RedisUnavailable after the bound); the start-up check that
// exits 1 at once is cmd/main.ts's (checkRedis).
import { UsageError } from "../../errors.ts";
import { openRedis, shownUrl } from "../../redis/client.ts";
import { parseRedisUrl } from "../../redis/url.ts";
import { ctx } from "../../runtime/context.ts";
import type { OpenStore } from "../store.ts";
import { checkPersistence } from "./persistence.ts";
import { RedisSpoolStore } from "./store.ts";

const open: OpenStore = async (address, opts) => {
  const addr = parseRedisUrl(address, "--spooler");
  if (!addr.name) throw new UsageError(`--spooler on Redis must name its spool after '#' (redis://host:port/db#NAME): got "${shownUrl(addr)}"`);
  const client = await openRedis(addr, { name: `mf:spool:${process.pid}` });
  // spool() waits for a lost connection as long as a mule send waits for room (--mule-send-timeout).
  const acceptBoundMs = (ctx.config?.muleSendTimeout ?? 30) * 1000;
  try {
    if (!opts.inspect) await checkPersistence(client, address, opts.sync ?? "always", acceptBoundMs);
    return new RedisSpoolStore(address, client, { sync: opts.sync, pid: opts.owner, onQuarantine: opts.onQuarantine, acceptBoundMs });
  } catch (e) {
    await client.close();
    throw e;
  }
};
export default open;
