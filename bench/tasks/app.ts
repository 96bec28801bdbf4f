// The app of the task-control benchmarks: /flood?n=N spools N no-op tasks
// (1,000 per turn: group commit) and answers when all are accepted;
// /ticks?n=N spools N `tick` tasks (each logs its start, ms, to $OUT/ticks.log);
// /grouped?big=&small= spools one big group then nine small ones.
import { appendFileSync } from "node:fs";
import { pauseSpooler, resumeSpooler, spool } from "mulefarm";

export const noop = spool(function noop() { return 1; });
export const tick = spool(function tick() { appendFileSync(`${process.env.OUT}/ticks.log`, `${Date.now()}\n`); });
export const grouped = spool(function grouped(a: { g: string }) { appendFileSync(`${process.env.OUT}/grouped.log`, `${a.g} ${Date.now()}\n`); });

export default {
  async fetch(req: Request): Promise<Response> {
    const u = new URL(req.url);
    if (u.pathname === "/grouped") {
      // Everything queued before any runs (paused meanwhile): the big group first (1,000 per turn), then nine small ones.
      await pauseSpooler();
      const big = Number(u.searchParams.get("big") ?? 10000), small = Number(u.searchParams.get("small") ?? 100);
      for (let i = 0; i < big; i += 1000) await Promise.all(Array.from({ length: Math.min(1000, big - i) }, () => grouped.spool({ g: "big", group: "big" })));
      await Promise.all(Array.from({ length: 9 }, (_, k) => Array.from({ length: small }, () => grouped.spool({ g: `s${k}`, group: `s${k}` }))).flat());
      await resumeSpooler();
      return Response.json({ spooled: big + 9 * small });
    }
    const n = Number(u.searchParams.get("n") ?? 1000);
    const task = u.pathname === "/ticks" ? tick : noop;
    for (let i = 0; i < n; i += 1000) {
      await Promise.all(Array.from({ length: Math.min(1000, n - i) }, () => task.spool({})));
    }
    return Response.json({ spooled: n });
  },
};
