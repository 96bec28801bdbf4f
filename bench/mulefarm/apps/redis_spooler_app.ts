// App for redis_spooler (workload 9): loaded by the worker (--module) and by
// the spooler processes (--import) of every instance on the Redis spool.
// The task appends "<id> <enqueue ns> <start ns>\n" to $RS_OUT/done.log with
// one append-mode write; with ms > 0 (the kill case) it writes
// "S <id> <enqueue ns> <start ns> <instance>" before and "E <id> ..." after
// `ms` of work. GET /enqueue?n=N&inflight=100&ms=M&delay=D spools N tasks with
// spool() calls, `inflight` at a time, and answers {t_start_ns, t_end_ns, failed}.
import { closeSync, openSync, writeSync } from "node:fs";
import { capsResponse, pick } from "./caps.ts";
import { monoNs } from "./clock.ts";

const OUT = process.env.RS_OUT!;
const INSTANCE = process.env.RS_INSTANCE ?? "?";
let fd: number | null = null;
async function noop(args: { id: number; t: number; ms?: number }) {
  fd ??= openSync(`${OUT}/done.log`, "a");
  const start = monoNs();
  if (!args.ms) { writeSync(fd, `${args.id} ${args.t} ${start}\n`); return; }
  writeSync(fd, `S ${args.id} ${args.t} ${start} ${INSTANCE}\n`);
  await new Promise((r) => setTimeout(r, args.ms));
  writeSync(fd, `E ${args.id} ${args.t} ${monoNs()} ${INSTANCE}\n`);
}
const spool = pick(["spool"]);
const job: any = spool ? spool(noop) : null;
process.on("exit", () => { if (fd !== null) closeSync(fd); });

// delay > 0: each task is spooled with at = now + delay, and t is that due time.
async function enqueue(n: number, inflight: number, ms: number, delay: number) {
  let failed = 0;
  const t0 = monoNs();
  for (let i = 0; i < n; i += inflight) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(n, i + inflight); j++) {
      batch.push(job.spool({ id: j, t: monoNs() + delay * 1e6, ...(ms ? { ms } : {}), ...(delay ? { at: new Date(Date.now() + delay) } : {}) }));
    }
    for (const r of await Promise.allSettled(batch)) if (r.status === "rejected") failed++;
  }
  return { t_start_ns: t0, t_end_ns: monoNs(), failed };
}

export default {
  async fetch(req: Request): Promise<Response> {
    const u = new URL(req.url);
    const q = (k: string, d: number) => Number(u.searchParams.get(k) ?? d);
    if (u.pathname === "/caps") return capsResponse({ "spool(fn).spool": job });
    if (u.pathname === "/enqueue") return Response.json(await enqueue(q("n", 1), q("inflight", 100), q("ms", 0), q("delay", 0)));
    return new Response("ok");
  },
};
