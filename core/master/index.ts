// The master: a small loop that spawns children, routes their frames to the
// engines, answers the stats server, and turns Unix signals into stop/reload.
import { randomHex } from "../runtime/random.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:net";
import { type Listener, listenUnix } from "../ipc/transport.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pack, unpack } from "msgpackr/pack";
import { adapter } from "../adapter/index.ts";
import { type Config, isLightMule } from "../config.ts";
import { MulefarmError, UsageError, oneLine } from "../errors.ts";
import { Channel } from "../ipc/channel.ts";
import { type Hello, Kind, type Role } from "../ipc/types.ts";
import { log, reopenLogFile, writeErr } from "../log.ts";
import { addInto, histogramDoc, newHistogram } from "../runtime/histogram.ts";
import { VERSION } from "../version.ts";
import { masterEngines } from "./engines.ts";
import { removeStale } from "./stale.ts";
import { procMemKb, startStatsServer } from "./stats.ts";
import { startMasterFifo } from "./fifo.ts";
import { EXIT_FATAL, Supervisor } from "./supervisor.ts";
import type { MasterApi, MasterEngine, Proc, Slot } from "./types.ts";
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

  const slots: Slot[] = [];
  const mkSlot = (role: Role, id: number, meta: Record<string, unknown> = {}): Slot =>
    ({ role, id, meta, current: null, old: [], respawnCount: 0, quickDeaths: 0, lastSpawn: 0, stats: {}, status: "starting" });
  if (config.http) for (let i = 1; i <= config.processes; i++) slots.push(mkSlot("worker", i));
  for (const m of config.mules) if (!isLightMule(m)) slots.push(mkSlot("mule", m.id, { spec: m.spec }));
  // Sandboxed light mules all live in one host process.
  const light = config.mules.filter(isLightMule);
  if (light.length) slots.push(mkSlot("mulehost", 1, { mules: light }));
  let sid = 0;
  for (const dir of config.spoolers) for (let i = 0; i < config.spoolerProcesses; i++) slots.push(mkSlot("spooler", ++sid, { dir }));

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
    engine: <T extends MasterEngine>(name: string) => engines.find((e) => e.name === name) as T | undefined,
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

  // Engine requests are looked up by op name.
  const requestOps = new Map<string, (slot: Slot, args: any) => unknown>();
  for (const e of engines) for (const [op, fn] of Object.entries(e.requests ?? {})) requestOps.set(op, fn);
  requestOps.set("stats", () => statsDoc());
  requestOps.set("reload", () => { setTimeout(() => void reload(), 0); return true; });
  requestOps.set("stop", () => { setTimeout(() => void stop(0), 0); return true; });

  const byToken = (token: string): [Slot, Proc] | null => {
    for (const s of slots) {
      if (s.current?.token === token) return [s, s.current];
      for (const p of s.old) if (p.token === token) return [s, p];
    }
    return null;
  };

  // `mulefarm signal` and other tools talk to the master over the same
  // socket and protocol, proving who they are with a token only the owner can read.
  const controlToken = randomHex(16);
  writeFileSync(join(runtimeDir, "control.token"), controlToken, { mode: 0o600 });
  const controlSlot: Slot = mkSlot("control", 0);

  const ipc: Listener = await listenUnix(socketPath, (transport) => {
    const ch = new Channel(transport);
    ch.on(Kind.Hello, (body) => {
      const hello = unpack(body) as Hello;
      if (hello.role === "control" && hello.token === controlToken) {
        ch.onRequest((op, args) => {
          const fn = requestOps.get(op);
          if (!fn) throw new Error(`unknown master request "${op}"`);
          return fn(controlSlot, args);
        });
        ch.send(Kind.Init, pack({ masterPid: process.pid }));
        return;
      }
      const found = byToken(hello.token);
      if (!found) { ch.destroy(); return; }
      const [slot, proc] = found;
      proc.channel = ch;
      for (const e of engines) e.attach?.(slot, proc, ch);
      ch.on(Kind.Ready, () => {
        proc.ready = true;
        if (slot.current === proc) slot.status = "idle";
        for (const f of proc.onReady.splice(0)) f();
      });
      ch.on(Kind.Stats, (b) => { if (slot.current === proc) Object.assign(slot.stats, unpack(b)); });
      ch.on(Kind.Log, (b) => {
        const { fatal, line, code } = unpack(b) as { fatal?: boolean; line: string; code?: number };
        if (fatal) sup.fatalMessages.set(proc.pid, { line, code: code ?? 1 });
      });
      ch.onRequest((op, args) => {
        const fn = requestOps.get(op);
        if (!fn) throw new Error(`unknown master request "${op}"`);
        return fn(slot, args);
      });
      const init: Record<string, unknown> = { config, role: slot.role, id: slot.id, meta: slot.meta, masterPid: process.pid, startedOn, runtimeDir };
      for (const e of engines) Object.assign(init, e.init?.(slot));
      ch.send(Kind.Init, pack(init));
    });
  });


  function statsDoc(): Record<string, unknown> {
    const procInfo = (s: Slot) => {
      const pid = s.current?.pid ?? 0;
      // Cached per pid (1000 light mules share one host process; see procMemKb).
      const mem = pid ? procMemKb(pid) : { rss: 0, pss: null };
      return { id: s.id, pid, status: s.status, respawn_count: s.respawnCount, last_spawn: s.lastSpawn, signals: Number(s.stats.signals ?? 0), rss: mem.rss * 1024, pss: mem.pss === null ? null : mem.pss * 1024 };
    };
    const doc: Record<string, unknown> = {
      version: VERSION,
      runtime: adapter.version,
      pid: process.pid,
      uid: process.getuid?.() ?? 0,
      gid: process.getgid?.() ?? 0,
      cwd: process.cwd(),
      started_on: startedOn,
      runtime_dir: runtimeDir,
      rss: procMemKb(process.pid).rss * 1024,
      workers: api.slotsOf("worker").map((s) => ({
        ...procInfo(s),
        requests: Number(s.stats.requests ?? 0),
        exceptions: Number(s.stats.exceptions ?? 0),
        harakiri_count: Number(s.stats.harakiri_count ?? 0),
        request_seconds: histogramDoc(addInto(newHistogram(), s.stats.request_seconds)),
      })),
      mules: [
        ...api.slotsOf("mule").map((s) => ({ ...procInfo(s), spec: s.meta.spec ?? null, sandboxed: false })),
        ...api.slotsOf("mulehost").flatMap((h) => (h.meta.mules as Array<{ id: number; spec: string }>).map((m) => ({ ...procInfo(h), id: m.id, spec: m.spec, sandboxed: true }))),
      ].sort((a, b) => a.id - b.id),
    };
    for (const e of engines) e.stats?.(doc);
    return doc;
  }

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
    if (config.stats) stats = await startStatsServer(config.stats, config.statsHttp, statsDoc);
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

export { EXIT_FATAL };
