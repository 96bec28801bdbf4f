// Group fairness: one group holding 10,000 tasks (spooled first) and nine
// holding 100 each, no-op tasks, 2 spooler processes. Reports how many of the
// big group's tasks had run when the last of the nine small groups' tasks
// ended (goal: fewer than 1,000), on a directory and on Redis.
//   BENCH_GROUP_BIG=10000 BENCH_GROUP_SMALL=100 node_modules/.bin/bun bench/tasks/group_fairness.ts
import { envNum, sleep, startInstance } from "./lib.ts";

const BIG = envNum("BENCH_GROUP_BIG", 10000);
const SMALL = envNum("BENCH_GROUP_SMALL", 100);
const out: any[] = [];
for (const store of (process.env.BENCH_GROUP_STORES ?? "file,redis").split(",") as Array<"file" | "redis">) {
  const inst = await startInstance(store, ["--spooler-processes", "2", "--spooler-sync", "none"]);
  try {
    const t0 = Date.now();
    await inst.get(`/grouped?big=${BIG}&small=${SMALL}`);
    const total = BIG + 9 * SMALL;
    for (let i = 0; inst.lines("grouped.log").length < total && i < 6000; i++) await sleep(100);
    const rows = inst.lines("grouped.log").map((l) => { const [g, at] = l.split(" "); return { g, at: Number(at) }; }).sort((a, b) => a.at - b.at);
    const lastSmall = rows.filter((r) => r.g !== "big").at(-1)!;
    const bigBefore = rows.filter((r) => r.g === "big" && r.at <= lastSmall.at).length;
    out.push({ store, big: BIG, small_groups: 9, small_each: SMALL, ran: rows.length, big_run_when_small_done: bigBefore, goal_below_1000: bigBefore < 1000, seconds: (Date.now() - t0) / 1000 });
  } finally { await inst.stop(); }
}
console.log(JSON.stringify({ workload: "tasks_group_fairness", results: out }));
