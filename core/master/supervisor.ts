// Keeps every slot filled: spawns, respawns with exponential backoff when a
// child dies repeatedly, stops gracefully, and chain-reloads.
import type { Config } from "../config.ts";
import { EXIT_FATAL, Kind } from "../ipc/types.ts";
import type { Proc, Slot } from "../engine.ts";
import { spawnProc } from "./spawn.ts";
import { quickDeaths, respawnDelayMs } from "../base/respawn-backoff.ts";

export interface SupervisorHooks {
  log(msg: string): void;
  socketPath: string;
  env: Record<string, string>;
  config: Config;
  /** A process died; engines release what it held. */
  onProcExit(slot: Slot, proc: Proc): void;
  /** A child failed to load its code at first start: fatal for the instance. */
  onFatal(slot: Slot, message: string, code: number): void;
}

export class Supervisor {
  stopping = false;
  fatalMessages = new Map<number, { line: string; code: number }>(); // pid → what it said before exit 78

  constructor(private slots: Slot[], private h: SupervisorHooks) {}

  startAll(): void {
    for (const s of this.slots) this.spawn(s);
  }

  spawn(slot: Slot): Proc {
    const proc = spawnProc(slot, this.h.socketPath, this.h.env);
    slot.current = proc;
    slot.parked = false;
    slot.lastSpawn = Math.floor(Date.now() / 1000);
    slot.status = "starting";
    this.h.log(`spawned ${slot.role} ${slot.id} (pid ${proc.pid})`);
    proc.child.onExit((code, signal) => this.exited(slot, proc, code, signal));
    return proc;
  }

  private exited(slot: Slot, proc: Proc, code: number | null, signal: string | null) {
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    proc.channel?.destroy();
    this.h.onProcExit(slot, proc);
    if (slot.current !== proc) {
      slot.old = slot.old.filter((p) => p !== proc);
      this.h.log(`${slot.role} ${slot.id} (pid ${proc.pid}) ${how} after reload`);
      return;
    }
    slot.current = null;
    slot.status = "dead";
    const fatal = this.fatalMessages.get(proc.pid);
    this.fatalMessages.delete(proc.pid);
    if (code === EXIT_FATAL && fatal && slot.respawnCount === 0 && !this.stopping) {
      // The code cannot load at the first start: stop with its one line instead of a respawn loop.
      this.h.onFatal(slot, fatal?.line ?? `${slot.role} ${slot.id} could not load its code`, fatal?.code ?? 1);
      return;
    }
    if (this.stopping) {
      this.h.log(`${slot.role} ${slot.id} (pid ${proc.pid}) ${how}`);
      return;
    }
    if (slot.parked) {
      slot.status = "cheap";
      this.h.log(`${slot.role} ${slot.id} (pid ${proc.pid}) idle: parked until a task is due (--spooler-cheap)`);
      return;
    }
    const lived = Date.now() - proc.spawnedAt;
    slot.quickDeaths = quickDeaths(slot.quickDeaths, lived);
    const delay = respawnDelayMs(slot.quickDeaths);
    this.h.log(`${slot.role} ${slot.id} (pid ${proc.pid}) ${how}; respawning${delay ? ` in ${delay} ms (died ${slot.quickDeaths} times in a row)` : ""}`);
    slot.respawnTimer = setTimeout(() => {
      slot.respawnTimer = undefined;
      if (this.stopping) return;
      slot.respawnCount++;
      this.spawn(slot);
    }, delay);
  }

  /** Graceful stop: SIGTERM all, SIGKILL after `mercyS`. Resolves when all are gone. */
  async stopAll(mercyS: number): Promise<void> {
    this.stopping = true;
    const procs: Proc[] = [];
    for (const s of this.slots) {
      clearTimeout(s.respawnTimer);
      if (s.current) procs.push(s.current);
      procs.push(...s.old);
    }
    for (const p of procs) terminate(p);
    await this.reap(procs, mercyS);
  }

  private async reap(procs: Proc[], mercyS: number) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const all = Promise.all(procs.map((p) => p.exited));
    const mercy = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), mercyS * 1000)));
    const res = await Promise.race([all, mercy]);
    clearTimeout(timer);
    if (res === "timeout") {
      for (const p of procs) {
        if (p.child.exitCode === null && p.child.signalCode === null) {
          this.h.log(`pid ${p.pid} is taking too long to stop (${mercyS} s): SIGKILL`);
          killGroup(p.pid, "SIGKILL");
        }
      }
      await all;
    }
    // Whatever the children started in their process groups goes too.
    for (const p of procs) killGroup(p.pid, "SIGKILL");
  }

  /** Replaces a slot's process: the new one first when `overlap` (HTTP workers), else stop then start. */
  async replace(slot: Slot, overlap: boolean, mercyS: number): Promise<void> {
    const old = slot.current;
    if (!old || this.stopping) return;
    if (overlap) {
      slot.old.push(old);
      old.draining = true;
      const fresh = this.spawn(slot);
      slot.respawnCount++;
      const ok = await waitReady(fresh, 30_000);
      if (!ok) this.h.log(`${slot.role} ${slot.id} (pid ${fresh.pid}) did not become ready in 30 s`);
      terminate(old);
      await this.reap([old], mercyS);
    } else {
      slot.old.push(old);
      old.draining = true;
      slot.current = null;
      terminate(old);
      await this.reap([old], mercyS);
      if (this.stopping) return;
      slot.respawnCount++;
      const fresh = this.spawn(slot);
      await waitReady(fresh, 30_000);
    }
  }
}

export function terminate(p: Proc) {
  // Ask through the channel first (works where signals don't reach, e.g. Deno), then SIGTERM.
  p.channel?.sendObject(Kind.Shutdown, { graceful: true });
  p.channel?.flush();
  try { process.kill(p.pid, "SIGTERM"); } catch { /* already gone */ }
}

export function killGroup(pid: number, sig: NodeJS.Signals) {
  try { process.kill(-pid, sig); } catch { /* group gone */ }
  try { process.kill(pid, sig); } catch { /* gone */ }
}

export function waitReady(p: Proc, ms: number): Promise<boolean> {
  if (p.ready) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    p.onReady.push(() => { clearTimeout(t); resolve(true); });
    p.exited.then(() => { clearTimeout(t); resolve(false); });
  });
}
