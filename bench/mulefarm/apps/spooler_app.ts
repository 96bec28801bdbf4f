// App for spooler_throughput (mirrors ../shared/bench/uwsgi/apps/spooler_app.py).
// Loaded by the worker (--module) and by the spooler processes (--import):
// the task appends "<id> <t_enqueued_ns> <t_executed_ns>\n" to
// $BENCH_DIR/done.log with one append-mode write.
// GET /enqueue?n=N&mode=await|pipelined enqueues N tasks {id, t} from the worker, one call each.
import { closeSync, openSync, writeSync } from "node:fs";
import { capsResponse, pick, settle } from "./caps.ts";
import { monoNs } from "./clock.ts";

const D = process.env.BENCH_DIR!;
let fd: number | null = null;
function task(args: any) {
  fd ??= openSync(`${D}/done.log`, "a");
  writeSync(fd, `${args.id} ${args.t} ${monoNs()}\n`);
}
// the idiomatic wrapper: spool(fn) returns an object with .spool(args)
const spool = pick(["spool"]);
let spooled: any = null;
try { spooled = spool ? spool(task) : null; } catch { spooled = null; }
const enqueueOne = spooled && typeof spooled.spool === "function" ? (args: any) => spooled.spool(args) : null;
process.on("exit", () => { if (fd !== null) closeSync(fd); });

// mode "await": each call awaited before the next (the plain reading of the
// workload: every task is durable before the next is enqueued).
// mode "pipelined": all N calls issued first, then awaited together (still one
// call per task; concurrent calls can share an fsync: group commit).
async function enqueue(n: number, mode: string) {
  let failed = 0;
  const t0 = monoNs();
  if (mode === "pipelined") {
    const ps: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      try { ps.push(Promise.resolve(enqueueOne!({ id: String(i), t: String(monoNs()) }))); } catch { failed++; }
    }
    for (const r of await Promise.allSettled(ps)) if (r.status === "rejected" || r.value === false) failed++;
  } else {
    for (let i = 0; i < n; i++) {
      try {
        const ok = await settle(enqueueOne!({ id: String(i), t: String(monoNs()) }));
        if (ok === false) failed++;
      } catch { failed++; }
    }
  }
  const t1 = monoNs();
  return { t_start_ns: t0, t_end_ns: t1, failed };
}

export default {
  async fetch(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname === "/caps") return capsResponse({ "spool(fn).spool": enqueueOne });
    if (url.pathname === "/enqueue") return Response.json(await enqueue(Number(url.searchParams.get("n")), url.searchParams.get("mode") ?? "await"));
    return new Response("ok");
  },
};
