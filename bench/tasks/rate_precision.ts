// --spooler-rate precision: a backlog far larger than the rate, 4 spooler
// processes, N starts per S seconds for BENCH_RATE_SECONDS (default 60).
// Reports the starts in each full window from the first start (goal: within
// ±1 of N) and the largest count in any sliding window of S seconds (never
// above N + 1: a task's logged start lags its slot by a few ms).
//   BENCH_RATE="10/1" BENCH_RATE_SECONDS=60 node_modules/.bin/bun bench/tasks/rate_precision.ts
import { envNum, sleep, startInstance } from "./lib.ts";

const RATE = process.env.BENCH_RATE ?? "10/1";
const [n, s] = RATE.split("/").map(Number);
const SECONDS = envNum("BENCH_RATE_SECONDS", 60);
const out: any[] = [];
for (const store of (process.env.BENCH_RATE_STORES ?? "file,redis").split(",") as Array<"file" | "redis">) {
  const inst = await startInstance(store, ["--spooler-processes", "4", "--spooler-rate", RATE, "--spooler-sync", "none"]);
  try {
    const backlog = Math.ceil((SECONDS / s) * n * 1.5) + 10;
    await inst.get(`/ticks?n=${backlog}`);
    await sleep(SECONDS * 1000 + 500);
    const starts = inst.lines("ticks.log").map(Number).sort((a, b) => a - b);
    const first = starts[0];
    const windows: number[] = [];
    for (let w = 0; (w + 1) * s * 1000 <= SECONDS * 1000; w++) windows.push(starts.filter((t) => t >= first + w * s * 1000 && t < first + (w + 1) * s * 1000).length);
    let slidingMax = 0;
    for (let i = 0, j = 0; i < starts.length; i++) { while (starts[i] - starts[j] >= s * 1000) j++; slidingMax = Math.max(slidingMax, i - j + 1); }
    out.push({ store, rate: RATE, seconds: SECONDS, starts: starts.length, windows, min: Math.min(...windows), max: Math.max(...windows), within_1: windows.every((c) => Math.abs(c - n) <= 1), sliding_max: slidingMax });
  } finally { await inst.stop(); }
}
console.log(JSON.stringify({ workload: "tasks_rate_precision", results: out }));
