// The app of the task-control benchmarks: /flood?n=N spools N no-op tasks
// (1,000 per turn: group commit) and answers when all are accepted;
// /ticks?n=N spools N `tick` tasks (each logs its start, ms, to $OUT/ticks.log).
import { appendFileSync } from "node:fs";
import { spool } from "mulefarm";

export const noop = spool(function noop() { return 1; });
export const tick = spool(function tick() { appendFileSync(`${process.env.OUT}/ticks.log`, `${Date.now()}\n`); });

export default {
  async fetch(req: Request): Promise<Response> {
    const u = new URL(req.url);
    const n = Number(u.searchParams.get("n") ?? 1000);
    const task = u.pathname === "/ticks" ? tick : noop;
    for (let i = 0; i < n; i += 1000) {
      await Promise.all(Array.from({ length: Math.min(1000, n - i) }, () => task.spool({})));
    }
    return Response.json({ spooled: n });
  },
};
