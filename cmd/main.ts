// mulefarm's entry point: the master, every child role (re-invoked with an
// internal flag), and the subcommands. Errors become one line and an exit
// status (2 for usage errors); no stack traces.
import { mkdirSync, statSync } from "node:fs";
import { net } from "../core/base/lazy-builtins.ts";
import { resolve } from "node:path";
import { MulefarmError, UsageError, oneLine } from "../core/errors.ts";
import { VERSION } from "../core/version.ts";
import { checkAddress, isPathAddress } from "../core/spooler/open.ts";
import { logFileFd, setLogFile, writeErr, writeOut } from "../core/log.ts";
import { checkListenHost, listenError } from "../core/runtime/listen-errors.ts";
import { nativeListenProbe } from "../core/adapter/listen-probe.ts";
import type { Config } from "../core/config.ts";

const argv = process.argv.slice(2);
const startCwd = process.cwd(); // before --chdir: a --daemonize copy resolves the same paths

async function main(): Promise<number> {
  if (argv[0] === "--mf-child") {
    const { runChild } = await import("../core/boot.ts");
    await runChild(argv[1] as any, Number(argv[2]), argv[3], argv[4]);
    return -1; // the child lives on its event loop
  }
  const sub = argv[0];
  if (sub === "spool") return (await import("./spool.ts")).spoolCommand(argv.slice(1));
  if (sub === "signal") return (await import("./signal.ts")).signalCommand(argv.slice(1));
  if (sub === "mule") return (await import("./mule.ts")).muleCommand(argv.slice(1));
  if (sub === "bench-ipc") return (await import("./bench-ipc.ts")).benchIpcCommand(argv.slice(1));
  if (sub === "types") return (await import("./types.ts")).typesCommand(argv.slice(1));
  if (sub === "build") return (await import("./build-app.ts")).buildCommand(argv.slice(1));
  if (sub === "reload" || sub === "stop" || sub === "status") return (await import("./lifecycle.ts")).controlCommand(sub, argv.slice(1));

  const { parseCommandLine } = await import("./config.ts");
  const { embeddedArgs } = await import("./embedded-app.ts");
  const { args: pre, note } = embeddedArgs(argv);
  if (note) writeErr(`[master] ${note}\n`);
  const all = [...pre, ...argv];
  const preloaded = new Map();
  for (const a of all) {
    const v = a.startsWith("--ini=") ? a.slice(6) : a;
    if (v.startsWith("embedded:")) preloaded.set(v, await (await import("./ini.ts")).readIniAsync(v));
  }
  const config = parseCommandLine(all, process.env, preloaded);
  if (config.help) {
    const { helpText } = await import("./help.ts");
    writeOut(helpText() + "\n");
    return 0;
  }
  if (config.version) {
    const { adapter } = await import("../core/adapter/index.ts");
    writeOut(`mulefarm ${VERSION} (${adapter.version})\n`);
    return 0;
  }
  // uWSGI's --reload/--stop PIDFILE act on a running instance instead of starting one.
  for (const action of ["reload", "stop"] as const) {
    const file = config.opt[action];
    if (typeof file === "string") return (await import("./lifecycle.ts")).signalPidfile(action, file);
  }
  await validate(config);
  const daemonFile = config.opt.daemonize;
  if (typeof daemonFile === "string") {
    const { daemonize, DAEMONIZED_ENV } = await import("./daemonize.ts");
    // The background copy logs to the --daemonize file unless --logto says otherwise.
    if (process.env[DAEMONIZED_ENV] === undefined) return daemonize(daemonFile, argv, startCwd);
    config.logto ??= daemonFile;
  }
  if (config.logto) {
    try { setLogFile(config.logto); } catch (e: any) { throw new UsageError(`--logto cannot open ${config.logto}: ${e.code ?? e.message}`); }
  }
  for (const n of config.notes) writeErr(`[master] ${n}\n`);
  const { runMaster } = await import("../core/master/index.ts");
  const res = await runMaster(config);
  return res.code;
}

/** Checks what can be checked before any child starts: files, ports. */
async function validate(c: Config): Promise<void> {
  const { resolveSpec } = await import("../core/spec.ts");
  if (c.chdir) {
    try { process.chdir(c.chdir); } catch { throw new UsageError(`--chdir directory not found: ${c.chdir}`); }
  }
  const cwd = process.cwd();
  // Spool dirs: created 0700 when missing, then known by absolute path everywhere.
  // Another store's address (scheme://…) is kept as given.
  const storeAddress = (option: string, d: string) => {
    try { checkAddress(d); } catch (e: any) { throw new UsageError(`--${option}: ${e.message}`); }
    return !isPathAddress(d);
  };
  c.spoolers = c.spoolers.map((d) => {
    if (storeAddress("spooler", d)) return d;
    const abs = resolve(cwd, d);
    try { mkdirSync(abs, { recursive: true, mode: 0o700 }); } catch (e: any) { throw new UsageError(`--spooler directory cannot be created: ${abs}: ${e.code ?? e.message}`); }
    return abs;
  });
  if (c.http && !c.module) throw new UsageError("--http needs --module SPEC (the app to serve)");
  if (c.module) resolveSpec(c.module, cwd, "--module");
  for (const i of c.imports) resolveSpec(i, cwd, "--import");
  for (const i of c.spoolerImports) resolveSpec(i, cwd, "--spooler-import");
  /** `path` as an absolute path, which must be an existing directory (`rule` says why in the error). */
  const existingDir = (rule: string, path: string) => {
    const abs = resolve(cwd, path);
    try { if (!statSync(abs).isDirectory()) throw new Error("ENOTDIR"); } catch (e: any) { throw new UsageError(`${rule}: ${abs} (${e.code ?? e.message})`); }
    return abs;
  };
  c.spoolerExternal = c.spoolerExternal.map((d) => storeAddress("spooler-external", d) ? d : existingDir("--spooler-external must be an existing directory (another instance's --spooler)", d));
  if (c.spoolerChdir) c.spoolerChdir = existingDir("--spooler-chdir must be a directory", c.spoolerChdir);
  for (const m of c.mules) if (m.spec) resolveSpec(m.spec, cwd, `--mule`);
  if (!c.http && !c.mules.length && !c.spoolers.length && !c.crons.length && !c.cron2s.length) {
    throw new UsageError("nothing to run: give --http with --module, --mule, --spooler or --cron (see --help)");
  }
  if (c.http) c.http.port = await probePort(c.http.host, c.http.port);
}

/** Fails fast (exit 1) when the HTTP address is taken, 2 when it is not one of this machine; resolves port 0 to a real port. */
async function probePort(host: string, port: number): Promise<number> {
  await checkListenHost("cannot listen on", host, port);
  if (nativeListenProbe) {
    // The runtime's native listener: the master does not load node:net (streams) just for this check.
    try {
      return nativeListenProbe(host, port);
    } catch (e) {
      throw listenError("cannot listen on", `${host}:${port}`, e);
    }
  }
  return new Promise((resolve, reject) => {
    const s = net().createServer();
    s.once("error", (e: any) => reject(listenError("cannot listen on", `${host}:${port}`, e)));
    s.listen({ port, host, exclusive: true }, () => {
      const got = (s.address() as any).port as number;
      s.close(() => resolve(got));
    });
  });
}

main().then(
  (code) => { if (code >= 0) process.exit(code); },
  (e) => {
    // With --logto the line goes to the log file and, as the last word, to the terminal too.
    if (logFileFd() !== null) console.error(`mulefarm: ${e instanceof MulefarmError ? e.message : `internal error: ${oneLine(e)}`}`);
    if (e instanceof MulefarmError) {
      writeErr(`mulefarm: ${e.message}\n`);
      process.exit(e.exitCode);
    }
    writeErr(`mulefarm: internal error: ${oneLine(e)}\n`);
    if (process.env.MULEFARM_DEBUG && e instanceof Error) writeErr(`${e.stack}\n`);
    process.exit(1);
  },
);
