// Every child role starts here: connect to the master's socket, say hello,
// take the Init frame, load --import modules, run postfork hooks, then hand
// over to the role. The child exits by itself when the channel closes (the
// master died), so no orphan keeps a port.
import { connectUnix } from "./ipc/transport.ts";
import { unpack } from "msgpackr/pack";
import { oneLine } from "./errors.ts";
import { Channel } from "./ipc/channel.ts";
import { Kind, type Role } from "./ipc/types.ts";
import { log, setLogPrefix } from "./log.ts";
import { loadNative } from "./child/load.ts";
import { resolveSpec } from "./spec.ts";
import { installApi } from "./api/install.ts";
import { ctx, childRequests, childSetup, shutdownHooks } from "./runtime/context.ts";
import { fatal } from "./child/lifecycle.ts";
import { lowerBackgroundThreads } from "./runtime/background-threads.ts";
import { unrefTimer } from "./base/timers.ts";
import { startTracing } from "./trace/start.ts";

export async function runChild(role: Role, id: number, socketPath: string, token: string): Promise<void> {
  setLogPrefix(`${role} ${id}`);
  installApi();
  const channel = new Channel(await connectUnix(socketPath));
  channel.onClose(() => {
    // The master is gone: follow it (uWSGI mules do the same).
    process.exit(ctx.role === "none" ? 1 : 0);
  });
  // Belt and braces for a master killed with SIGKILL: if we were re-parented,
  // the master is gone even if the socket's close was not seen yet.
  const parent = process.ppid;
  const watch = setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 500);
  unrefTimer(watch);
  const init = await new Promise<any>((resolve, reject) => {
    channel.on(Kind.Init, (body) => resolve(unpack(body)));
    channel.sendObject(Kind.Hello, { role, id, pid: process.pid, token });
  });
  ctx.role = role;
  ctx.id = id;
  ctx.config = init.config;
  ctx.channel = channel;
  ctx.masterPid = init.masterPid;
  ctx.startedOn = init.startedOn;
  ctx.runtimeDir = init.runtimeDir;
  ctx.meta = init.meta ?? {};
  ctx.init = init;
  if (ctx.config!.chdir) process.chdir(ctx.config!.chdir);
  lowerBackgroundThreads(ctx.config!.backgroundNice ?? 0);
  // OTEL_EXPORTER_OTLP_ENDPOINT: before user code loads; its flush is the first hook pushed, so it runs last at a stop.
  const flushTraces = await startTracing();
  if (flushTraces) shutdownHooks.push(flushTraces);

  let stopping = false;
  channel.on(Kind.Shutdown, () => void gracefulStop());
  process.on("SIGTERM", () => void gracefulStop());
  process.on("SIGINT", () => {}); // a terminal ^C is the master's business
  process.on("SIGHUP", () => {});
  async function gracefulStop() {
    if (stopping) return;
    stopping = true;
    for (const h of shutdownHooks.splice(0).reverse()) {
      try { await h(); } catch (e) { log(`error while stopping: ${oneLine(e)}`); }
    }
    channel.flush();
    process.exit(0);
  }

  channel.onRequest((op, args) => {
    const fn = childRequests.get(op);
    if (!fn) throw new Error(`this ${role} does not answer "${op}"`);
    return fn(args);
  });
  for (const setup of childSetup) setup(channel);

  try {
    for (const imp of ctx.config!.imports) await loadNative(resolveSpec(imp, process.cwd(), "--import"));
    if (role === "spooler") for (const imp of ctx.config!.spoolerImports) await loadNative(resolveSpec(imp, process.cwd(), "--spooler-import"));
    const roleMain = await roleModule(role);
    await roleMain(channel);
  } catch (e) {
    fatal(channel, e);
  }
}

// The role table: this is the only file that imports core/roles/*.
async function roleModule(role: Role): Promise<(c: Channel) => Promise<void>> {
  switch (role) {
    case "worker": return (await import("./roles/worker.ts")).runWorker;
    case "mule": return (await import("./roles/mule.ts")).runMule;
    case "mulehost": return (await import("./roles/mulehost.ts")).runMuleHost;
    case "spooler": return (await import("./roles/spooler.ts")).runSpooler;
    case "bench": return (await import("./roles/bench.ts")).runBench;
    default: throw new Error(`unknown role ${role}`);
  }
}
