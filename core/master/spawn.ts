// Starts one child process: this same program again, with an internal role
// flag, in its own process group, its output relayed line by line with a
// "[role id]" prefix.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { adapter } from "../adapter/index.ts";
import type { Config } from "../config.ts";
import type { Proc, Slot } from "./types.ts";
import { toSinks } from "../log.ts";

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
  const token = randomBytes(12).toString("hex");
  const { cmd, args } = adapter.selfCommand();
  const child = spawn(cmd, [...args, CHILD_FLAG, slot.role, String(slot.id), socketPath, token], {
    detached: true, // own process group: a terminal ^C reaches only the master
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  const label = `${slot.role} ${slot.id}`;
  relay(child.stdout!, process.stdout, label);
  relay(child.stderr!, process.stderr, label);
  let resolveExit!: () => void;
  const proc: Proc = {
    pid: child.pid ?? -1,
    token,
    child,
    ready: false,
    spawnedAt: Date.now(),
    draining: false,
    onReady: [],
    exited: new Promise<void>((r) => (resolveExit = r)),
  };
  child.once("exit", () => resolveExit());
  return proc;
}

function relay(from: NodeJS.ReadableStream, to: NodeJS.WritableStream, label: string) {
  let partial = "";
  from.setEncoding("utf8");
  from.on("data", (s: string) => {
    const text = partial + s;
    const lines = text.split("\n");
    partial = lines.pop()!;
    if (!lines.length) return;
    let out = "";
    for (const l of lines) {
      const line = l.startsWith(`[${label}]`) ? l : `[${label}] ${l}`;
      out += line + "\n";
      toSinks(line);
    }
    to.write(out);
  });
  from.on("end", () => {
    if (partial) to.write(`[${label}] ${partial}\n`);
    partial = "";
  });
}
