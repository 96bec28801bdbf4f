// Child processes for the store conformance suite: a pid that is certainly
// dead, and argv to run a TypeScript file under the current runtime.
import { spawnSync } from "node:child_process";

/** The pid of a process that has exited and been reaped. */
export function deadPid(): number {
  return spawnSync(process.execPath, ["--version"]).pid!;
}

/** argv to run a TypeScript file under the current runtime (bun or deno). */
export function runtimeArgs(script: string): string[] {
  const isDeno = typeof (globalThis as any).Deno !== "undefined";
  return isDeno ? ["run", "-A", "--no-check", script] : [script];
}
