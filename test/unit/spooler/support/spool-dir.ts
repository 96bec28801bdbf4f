// Temp spool directories for the spooler storage tests, and a pid that is
// certainly dead (a child that already exited and was reaped).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

/** Runs `fn` with a fresh spool dir path (not yet created) under os.tmpdir(), removed after. */
export async function withSpoolDir<T>(fn: (dir: string) => Promise<T> | T): Promise<T> {
  const root = mkdtempSync(join(tmpdir(), "mulefarm-spool-"));
  try {
    return await fn(join(root, "spool"));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The pid of a process that has exited and been reaped. */
export function deadPid(): number {
  const r = spawnSync(process.execPath, ["--version"]);
  return r.pid!;
}

/** argv to run a TypeScript file under the current runtime (bun or deno). */
export function runtimeArgs(script: string): string[] {
  const isDeno = typeof (globalThis as any).Deno !== "undefined";
  return isDeno ? ["run", "-A", "--no-check", script] : [script];
}
