// The BullMQ side of workload 9 (redis_spooler): the peer on the same Redis,
// same runtime (Bun), same client (ioredis, auto-pipelining off).
//
//   bun bullmq_side.ts worker   URL QUEUE DONE_LOG CONCURRENCY [TASK_MS] [INSTANCE]
//   bun bullmq_side.ts producer URL QUEUE N [IN_FLIGHT] [DELAY_MS]
//
// worker: one Worker; its processor appends "<id> <enqueue ns> <start ns>\n"
// to DONE_LOG with one append-mode write and returns; with TASK_MS it writes
// "S <id> <enqueue ns> <start ns> <instance>", works TASK_MS, then "E …".
// Prints "ready" once the worker runs.
// producer: adds N jobs with add() (not addBulk), IN_FLIGHT (100) concurrent
// adds per batch, each job {id, t: enqueue ns}, removeOnComplete; prints one
// JSON line {t_start_ns, t_end_ns, failed}.
import { closeSync, openSync, writeSync } from "node:fs";
import { Redis } from "ioredis";
import { Queue, Worker } from "bullmq";
import { monoNs } from "./clock.ts";

const [mode, url, queueName, ...rest] = process.argv.slice(2);
const connection = () => new Redis(url, { enableAutoPipelining: false, maxRetriesPerRequest: null });

if (mode === "worker") {
  const [done, conc, taskMs] = [rest[0], Number(rest[1] ?? 100), Number(rest[2] ?? 0)];
  const fd = openSync(done, "a");
  const instance = rest[3] ?? "?";
  const w = new Worker(queueName, async (job) => {
    const start = monoNs();
    if (!(taskMs > 0)) { writeSync(fd, `${job.data.id} ${job.data.t} ${start}\n`); return; }
    writeSync(fd, `S ${job.data.id} ${job.data.t} ${start} ${instance}\n`);
    await new Promise((r) => setTimeout(r, taskMs));
    writeSync(fd, `E ${job.data.id} ${job.data.t} ${monoNs()} ${instance}\n`);
  }, { connection: connection(), concurrency: conc });
  await w.waitUntilReady();
  process.stdout.write("ready\n");
  const stop = async () => { await w.close(); closeSync(fd); process.exit(0); };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} else if (mode === "producer") {
  const n = Number(rest[0]), inflight = Number(rest[1] ?? 100), delay = Number(rest[2] ?? 0);
  const q = new Queue(queueName, { connection: connection() });
  await q.waitUntilReady();
  let failed = 0;
  const t0 = monoNs();
  for (let i = 0; i < n; i += inflight) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(n, i + inflight); j++) {
      // t: when the job should start (enqueue time, plus its delay): start - t is the latency.
      batch.push(q.add("noop", { id: j, t: monoNs() + delay * 1e6 }, { removeOnComplete: true, ...(delay ? { delay } : {}) }));
    }
    for (const r of await Promise.allSettled(batch)) if (r.status === "rejected") failed++;
  }
  const t1 = monoNs();
  process.stdout.write(JSON.stringify({ t_start_ns: t0, t_end_ns: t1, failed }) + "\n");
  await q.close();
  process.exit(0);
} else {
  process.stderr.write("usage: bullmq_side.ts worker URL QUEUE DONE CONC [TASK_MS] | producer URL QUEUE N [IN_FLIGHT] [DELAY_MS]\n");
  process.exit(2);
}
