// The host of sandboxed light mules (--mule=sandbox:script.ts): each is a
// QuickJS runtime in this one process (about 150 KB each instead of a
// process), with the mule API reaching out only through capabilities:
// bare --grant entries, or "muleN:CAP" for light mule N.
import type { Channel } from "../ipc/channel.ts";
import { ALL_LIGHT_MULES, Kind } from "../ipc/types.ts";
import { oneLine } from "../errors.ts";
import { log } from "../log.ts";
import { resolveSpec } from "../spec.ts";
import { ctx, shutdownHooks } from "../runtime/context.ts";
import { runPostfork } from "../child/lifecycle.ts";
import { childHost } from "../child/plugin-host.ts";
import { credit, decodePayload, GROUP_WINDOW, OWN_WINDOW, readDeliver, readMuleId } from "../mules/wire.ts";
import type { LightMule } from "../../plugins/sandbox/index.ts";
import { doneTo } from "../signals/peer.ts";
import { u16le } from "../base/bytes.ts";
import { tracing } from "../trace/state.ts";

export async function runMuleHost(channel: Channel): Promise<void> {
  const { createLightMule, grantsFor } = await import("../../plugins/sandbox/index.ts");
  const cfg = ctx.config!;
  const defs = ctx.meta.mules as Array<{ id: number; spec: string }>;
  const host = {
    log: (source: string, line: string) => log(`[${source}] ${line}`),
    onError: (source: string, err: Error) => log(`[${source}] ${oneLine(err)}`),
    ...childHost(),
  };
  const mules = new Map<number, LightMule>();
  for (const d of defs) {
    const file = resolveSpec(d.spec, process.cwd(), "--mule").file;
    mules.set(d.id, await createLightMule(file, { id: d.id, grants: grantsFor(`mule${d.id}`, cfg.grants), host }));
  }
  log(`${mules.size} sandboxed light mule(s) running`);

  channel.on(Kind.MuleHostDeliver, (body) => {
    const m = mules.get(readMuleId(body));
    if (!m) return;
    const d = readDeliver(body, 2);
    const msg = decodePayload(d.type, d.payload);
    m.deliver(tracing ? tracing.muleReceived(msg, readMuleId(body)) : msg);
  });

  // Signals whose target is one of these light mules run its Mule.onSignal
  // handlers; finished (or failed) is reported as by any target, so a signal
  // this host had not finished when it died goes to its successor.
  channel.on(Kind.MuleHostSignal, (body) => {
    for (let off = 0; off + 3 <= body.length; off += 3) {
      const id = u16le(body, off), num = body[off + 2];
      if (id === ALL_LIGHT_MULES) {
        // "mules": every light mule with a handler runs it; one without is not
        // interested (no log line per mule). Finished once all have settled.
        Promise.allSettled([...mules].map(([i, m]) => m.signal(num).catch((e) => log(`error managing signal ${num} on light mule ${i}: ${oneLine(e)}`))))
          .finally(() => doneTo(channel, num));
        continue;
      }
      const m = mules.get(id);
      if (!m) { doneTo(channel, num); continue; }
      m.signal(num).then(
        (ran) => { if (!ran) log(`signal ${num} arrived but light mule ${id} has no Mule.onSignal handler (or is restarting): dropped`); },
        (e) => log(`error managing signal ${num} on light mule ${id}: ${oneLine(e)}`),
      ).finally(() => doneTo(channel, num));
    }
  });

  // A message counts as consumed once its light mule took it from its queue:
  // until then the master keeps it for redelivery if this host dies.
  const lastDelivered = new Map<number, number>();
  const report = () => {
    for (const [id, m] of mules) {
      const took = m.taken;
      const prev = lastDelivered.get(id) ?? 0;
      const n = took - prev;
      if (n <= 0) continue;
      lastDelivered.set(id, took);
      channel.send(Kind.MuleHostCredit, credit(n, n, n, 0, id));
    }
  };
  const timer = setInterval(report, 20);
  shutdownHooks.push(() => { clearInterval(timer); report(); for (const m of mules.values()) m.dispose(); });

  for (const id of mules.keys()) channel.send(Kind.MuleHostCredit, credit(0, OWN_WINDOW, GROUP_WINDOW, 0, id));
  await runPostfork();
  channel.send(Kind.Ready);
}
