// The real uWSGI (Debian's 2.0 with the python3 plugin, installed by .ci/run)
// for tests that compare mulefarm with it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { FIX } from "../lib.ts";

export interface Uwsgi { proc: ChildProcess; output(): string; stop(): Promise<void> }

/** Starts `uwsgi` with the python3 plugin, a master and `args`, in `dir`; stop() ends it (SIGINT, then SIGKILL) and waits. */
export function startUwsgi(dir: string, args: string[]): Uwsgi {
  mkdirSync(dir, { recursive: true });
  const proc = spawn("uwsgi", ["--plugin", "python3", "--master", "--chdir", join(FIX, "compat/uwsgi"), ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  return {
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGINT");
      const t = setTimeout(() => proc.kill("SIGKILL"), 10000);
      await exited;
      clearTimeout(t);
    },
  };
}
