// uWSGI's --daemonize FILE: the instance goes to the background (a new
// session, no terminal) and logs to FILE. The options were already checked
// here, so a usage error still reaches the terminal; the background copy is
// this same command line again, marked so that it does not daemonize twice
// (the option may come from an ini file, so it cannot simply be dropped).
import { closeSync, openSync } from "node:fs";
import { adapter } from "../core/adapter/index.ts";
import { UsageError } from "../core/errors.ts";
import { writeOut } from "../core/log.ts";
import { childProcess } from "../core/base/lazy-builtins.ts";

export const DAEMONIZED_ENV = "MULEFARM_DAEMONIZED";

export function daemonize(file: string, argv: string[], cwd: string): number {
  let fd: number;
  try { fd = openSync(file, "a", 0o640); } catch (e: any) { throw new UsageError(`--daemonize cannot open ${file}: ${e.code ?? e.message}`); }
  const { cmd, args } = adapter.selfCommand();
  const child = childProcess().spawn(cmd, [...args, ...argv], {
    cwd,
    detached: true, // setsid: no controlling terminal, its own process group
    stdio: ["ignore", fd, fd],
    env: { ...process.env, [DAEMONIZED_ENV]: file },
  });
  closeSync(fd);
  child.unref();
  writeOut(`mulefarm: running in the background (master pid ${child.pid}), logging to ${file}\n`);
  return 0;
}
