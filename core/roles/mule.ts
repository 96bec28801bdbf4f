// A mule. Programmed (--mule=SPEC): its module's top level is the program, or
// SPEC's named export is called with no arguments; the mule lives while that
// program has work pending and is respawned when it returns or throws.
// Signal-only (--mule): loads the app like a worker and runs signal handlers
// and offloaded functions (mulefunc) until stopped.
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import { ExportNotFound, oneLine } from "../errors.ts";
import { log } from "../log.ts";
import { loadNative } from "../child/load.ts";
import { resolveSpec } from "../spec.ts";
import { ctx, shutdownHooks } from "../runtime/context.ts";
import { fatal, runPostfork } from "../child/lifecycle.ts";
import { isUnloadable } from "../runtime/load-errors.ts";
import { keepAlive } from "../runtime/keepalive.ts";
import { recycleOverRss } from "../runtime/recycle.ts";
import { finishAll, startReceiving } from "../mules/receive.ts";
import { flushThen } from "../trace/state.ts";

export async function runMule(channel: Channel): Promise<void> {
  const specText = ctx.meta.spec as string | null;
  shutdownHooks.push(() => finishAll());
  recycleOverRss(ctx.config!.muleReloadOnRss, "mule-reload-on-rss");
  if (specText === null) {
    if (ctx.config!.module) await loadNative(resolveSpec(ctx.config!.module, process.cwd(), "--module"));
    await runPostfork();
    startReceiving(channel);
    channel.send(Kind.Ready);
    return; // the channel stays ref'd: a signal-only mule lives until stopped
  }
  const spec = resolveSpec(specText, process.cwd(), "--mule");
  // A callable spec is checked before the mule counts as started, so a
  // missing export is a start-up error (exit 2), not a respawn loop.
  let program: (() => unknown) | null = null;
  if (spec.export !== undefined) {
    const { target } = await loadNative(spec);
    if (typeof target !== "function") throw new ExportNotFound(`${spec.file}: export "${spec.export}" is not a function`);
    program = target as () => unknown;
  }
  await runPostfork();
  startReceiving(channel);
  channel.send(Kind.Ready);
  keepAlive.enable();
  let finished = false;
  process.on("beforeExit", () => {
    if (finished) return;
    finished = true;
    log("program finished with nothing pending; exiting (the master respawns programmed mules)");
    finishAll();
    channel.flush();
    flushThen(() => setTimeout(() => process.exit(0), 10));
  });
  try {
    // A script's top level is the program; a callable is called with no arguments.
    if (program) await program();
    else await loadNative(spec);
  } catch (e) {
    // Code that cannot even be parsed or resolved is a start-up error, not a crash to respawn.
    if (isUnloadable(e)) { fatal(channel, e); return; }
    log(`program threw: ${oneLine(e)}`);
    channel.flush();
    flushThen(() => setTimeout(() => process.exit(1), 10));
  }
}
