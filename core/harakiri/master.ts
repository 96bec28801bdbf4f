// The master side of harakiri: every 100 ms, read each child's scoreboard and
// SIGKILL a child whose deadline has passed, after logging one structured
// line saying what it was doing. The normal respawn follows.
import { existsSync } from "node:fs";
import type { MasterApi, MasterEngine, Proc, Slot } from "../engine.ts";
import { Scoreboard, scorePath } from "./scoreboard.ts";
import { unrefTimer } from "../base/timers.ts";

export class HarakiriEngine implements MasterEngine {
  name = "harakiri";
  private boards = new Map<Proc, Scoreboard>();
  private timer?: ReturnType<typeof setInterval>;
  private api!: MasterApi;
  private counts = new Map<Slot, number>();

  start(api: MasterApi) {
    this.api = api;
    this.timer = setInterval(() => this.check(), 100);
    unrefTimer(this.timer);
  }

  detach(_slot: Slot, proc: Proc) {
    this.boards.delete(proc);
  }

  private check() {
    const now = Date.now();
    for (const slot of this.api.slots) {
      const proc = slot.current;
      if (!proc || !proc.ready) continue;
      let b = this.boards.get(proc);
      if (!b) {
        const path = scorePath(this.api.runtimeDir, proc.pid);
        if (!existsSync(path)) continue;
        try { b = new Scoreboard(path, false); } catch { continue; }
        this.boards.set(proc, b);
      }
      const s = b.read();
      const hit = s.deadline > 0 && now > s.deadline ? "work" : s.user > 0 && now > s.user ? "user" : null;
      if (!hit) continue;
      this.counts.set(slot, (this.counts.get(slot) ?? 0) + 1);
      slot.stats.harakiri_count = this.counts.get(slot)!;
      b.clear();
      b.setUser(0);
      const line = {
        event: "harakiri", role: slot.role, id: slot.id, pid: proc.pid,
        doing: hit === "user" ? `user deadline (set_user_harakiri)${s.label ? `; last work: ${s.label}` : ""}` : s.label,
        running_s: Number(((now - s.started) / 1000).toFixed(3)),
      };
      this.api.log(`HARAKIRI ${JSON.stringify(line)}`);
      try { process.kill(proc.pid, "SIGKILL"); } catch { /* already gone */ }
    }
  }

  stats(doc: Record<string, any>) {
    for (const list of [doc.workers, doc.mules, doc.spoolers]) {
      for (const x of list ?? []) {
        const slot = this.api.slots.find((s) => s.id === x.id && (list === doc.workers ? s.role === "worker" : list === doc.mules ? s.role === "mule" : s.role === "spooler"));
        if (slot) x.harakiri_count = this.counts.get(slot) ?? 0;
      }
    }
  }

  stop() {
    clearInterval(this.timer);
  }
}
