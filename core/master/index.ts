// The master: a small loop that spawns children, routes their frames to the
// engines, answers the stats server, and turns Unix signals into stop/reload.
// The child socket's handshake and request routing live in handshake.ts, the
// stats document in stats-document.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:net";
import type { Listener } from "../ipc/transport.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adapter } from "../adapter/index.ts";
import type { Config } from "../config.ts";
import { MulefarmError, UsageError, oneLine } from "../errors.ts";
import type { Role } from "../ipc/types.ts";
import { log, reopenLogFile, writeErr } from "../log.ts";
import { VERSION } from "../version.ts";
import { masterEngines } from "./engines.ts";
import { listenForChildren, requestTable } from "./handshake.ts";
import { newSlot, slotsFor } from "./slots.ts";
import { removeStale } from "./stale.ts";
import { startStatsServer } from "./stats.ts";
import { statsDocument } from "./stats-document.ts";
import { startMasterFifo } from "./fifo.ts";
import { Supervisor } from "./supervisor.ts";
import type { MasterApi, MasterEngine } from "../engine.ts";
import { lowerBackgroundThreads } from "../runtime/background-threads.ts";
import { startTracing } from "../trace/start.ts";

export interface MasterResult { code: number; message?: string }

export async function runMaster(config: Config): Promise<MasterResult> {
  const startedOn = Math.floor(Date.now() / 1000);
  const engines: MasterEngine[] = masterEngines(config); // validates engine options before anything is created
  removeStale();
  lowerBackgroundThreads(config.backgroundNice);
  const flushTraces = await startTracing("master"); // OTEL_EXPORTER_OTLP_ENDPOINT: --cron command runs are spans
  const runtimeDir = mkdtempSync(join(tmpdir(), "mulefarm-"));
  writeFileSync(join(runtimeDir, "master.pid"), String(process.pid));
  const socketPath = join(runtimeDir, "master.sock");
  if (config.pidfile) {
    try { writeFileSync(config.pidfile, `${process.pid}\n`); } catch (e: any) {
      rmSync(runtimeDir, { recursive: true, force: true });
      throw new UsageError(`--pidfile cannot write ${config.pidfile}: ${e.code ?? e.message}`);
    }
  }

  const slots = slotsFor(config);

  let finish!: (r: MasterResult) => void;
  const done = new Promise<MasterResult>((r) => (finish = r));
  let stopping = false;

  const api: MasterApi = {
    config,
    slots,
    runtimeDir,
    slotsOf: (role) => slots.filter((s) => s.role === role),
    slot: (role, id) => slots.find((s) => s.role === role && s.id === id),
    log,
    stop: (code = 0) => void stop(code),
    reload: (roles) => void reload(roles),
    spawn: (slot) => {
      if (!slot.current && !stopping) sup.spawn(slot);
    },
  };

  const sup = new Supervisor(slots, {
    log,
    socketPath,
    env: (await import("./spawn.ts")).childEnv(config),
    config,
    onProcExit: (slot, proc) => { for (const e of engines) e.detach?.(slot, proc); },
    onFatal: (_slot, message, code) => void stop(code, message),
  });

  const statsDoc = () => statsDocument({ api, engines, startedOn });
  const ipc: Listener = await listenForChildren({
    socketPath, runtimeDir, config, slots, engines, sup, startedOn,
    controlSlot: newSlot("control", 0),
    ownRequests: {
      stats: () => statsDoc(),
      reload: () => { setTimeout(() => void reload(), 0); return true; },
      stop: () => { setTimeout(() => void stop(0), 0); return true; },
    },
  });

  let stats: Server | undefined;
  let fifo: { close(): void } | undefined;
  async function stop(code: number, message?: string) {
    if (stopping) return;
    stopping = true;
    if (message) writeErr(`mulefarm: ${message}\n`);
    else log(`stopping (graceful, mercy ${config.reloadMercy} s)`);
    await sup.stopAll(config.reloadMercy);
    for (const e of engines) await e.stop?.();
    await flushTraces?.();
    stats?.close();
    fifo?.close();
    ipc.close();
    rmSync(runtimeDir, { recursive: true, force: true });
    if (config.pidfile) rmSync(config.pidfile, { force: true });
    if (!message) log("goodbye");
    finish({ code, message });
  }

  let reloading = false;
  // A reload asked for during a reload runs once more after it: the code may
  // have changed again after some processes had already restarted.
  let queued: { roles?: Role[] } | null = null;
  async function reload(roles?: Role[]) {
    if (stopping) return;
    // --exit-on-reload: a process manager (systemd, a container runtime) starts the
    // instance again. A reload of some roles only (touch-mules-reload, FIFO w) stays one.
    if (config.exitOnReload && !roles) {
      log("reload requested: exiting (--exit-on-reload)");
      return void stop(0);
    }
    if (reloading) {
      const all = !roles || (queued !== null && !queued.roles);
      queued = all ? {} : { roles: [...new Set([...(queued?.roles ?? []), ...roles])] };
      log("reload requested during a reload: it follows this one");
      return;
    }
    reloading = true;
    if (config.logReopen) reopenLogFile();
    const want = (r: Role) => !roles || roles.includes(r);
    const names = roles && [...new Set(roles.map((r) => (r === "mulehost" ? "mules" : `${r}s`)))].join(" and ");
    log(names ? `graceful reload of the ${names}` : "graceful reload: workers one at a time, then mules and spoolers");
    try {
      if (want("worker")) for (const s of api.slotsOf("worker")) await sup.replace(s, true, config.reloadMercy);
      await Promise.all(slots.filter((s) => s.role !== "worker" && want(s.role)).map((s) => sup.replace(s, false, config.reloadMercy)));
      log("reload done");
    } finally {
      reloading = false;
    }
    const next = queued;
    queued = null;
    if (next) await reload(next.roles);
  }

  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
  process.on("SIGHUP", () => void reload());

  try {
    for (const e of engines) await e.start?.(api);
    if (config.stats) stats = await startStatsServer(config.stats, config.statsHttp, statsDoc, requestTable(engines, {}));
    if (config.masterFifo) {
      fifo = startMasterFifo(config.masterFifo, {
        reload: (workersOnly) => void reload(workersOnly ? ["worker"] : undefined),
        stop: () => void stop(0),
        stats: () => log(`stats ${JSON.stringify(statsDoc())}`),
        log,
      });
    }
  } catch (e) {
    void stop(e instanceof MulefarmError ? e.exitCode : 1, oneLine(e));
    return done;
  }
  log(`mulefarm ${VERSION} (${adapter.version}) master pid ${process.pid}: ${describe(config)}`);
  sup.startAll();
  return done;
}

function describe(c: Config): string {
  const parts: string[] = [];
  if (c.http) parts.push(`http ${c.http.host}:${c.http.port} × ${c.processes} workers`);
  if (c.mules.length) parts.push(`${c.mules.length} mules`);
  if (c.farms.length) parts.push(`farms ${c.farms.map((f) => `${f.name}:${f.mules.join(",")}`).join(" ")}`);
  if (c.spoolers.length) parts.push(`spoolers ${c.spoolers.join(", ")}`);
  return parts.join(", ") || "no children configured";
}

