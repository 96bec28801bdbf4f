// Starts one child process: this same program again, with an internal role
// flag, in its own process group, its output relayed line by line with a
// "[role id]" prefix.
import { randomHex } from "../base/random.ts";
import { adapter } from "../adapter/index.ts";
import type { Config } from "../config.ts";
import type { Proc, Slot } from "../engine.ts";
import { toSinks, writeErr, writeOut } from "../log.ts";

export const CHILD_FLAG = "--mf-child";

export function childEnv(config: Config): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // With BUN_BE_BUN set, a compiled binary behaves as the bun CLI itself.
  delete env.BUN_BE_BUN;
  for (const kv of config.env) {
    const i = kv.indexOf("=");
    env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return env;
}

export function spawnProc(slot: Slot, socketPath: string, env: Record<string, string>): Proc {
  const token = randomHex(12);
  const { cmd, args } = adapter.selfCommand();
  const label = `${slot.role} ${slot.id}`;
  const out = { stdout: lines(label, writeOut), stderr: lines(label, writeErr) };
  // Detached: its own process group, so a terminal ^C reaches only the master.
  const child = adapter.spawnDetached(cmd, [...args, CHILD_FLAG, slot.role, String(slot.id), socketPath, token], env, (stream, text) => out[stream](text));
  let resolveExit!: () => void;
  const proc: Proc = {
    pid: child.pid,
    token,
    child,
    ready: false,
    spawnedAt: Date.now(),
    draining: false,
    onReady: [],
    exited: new Promise<void>((r) => (resolveExit = r)),
  };
  child.onExit(() => {
    for (const f of Object.values(out)) f(null);
    resolveExit();
  });
  return proc;
}

/** Splits text into lines and writes each with the "[label]" prefix; null flushes a last partial line. */
function lines(label: string, write: (text: string) => void): (text: string | null) => void {
  let partial = "";
  return (s) => {
    if (s === null) {
      if (partial) { const l = `[${label}] ${partial}`; write(l + "\n"); toSinks(l); }
      partial = "";
      return;
    }
    const parts = (partial + s).split("\n");
    partial = parts.pop()!;
    if (!parts.length) return;
    let text = "";
    for (const l of parts) {
      const line = l.startsWith(`[${label}]`) ? l : `[${label}] ${l}`;
      text += line + "\n";
      toSinks(line);
    }
    write(text);
  };
}
