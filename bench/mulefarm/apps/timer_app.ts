// App for timer_accuracy (mirrors ../shared/bench/uwsgi/apps/timer_app.py).
// Every process that loads it registers the handlers (signals 20 and 21,
// target mule1); worker 1 alone creates the two 1-second timers
// (addTimer(20, 1), addRbTimer(21, 1)) and records t_reg just before. Each
// handler appends the CLOCK_MONOTONIC ns of every tick to $BENCH_DIR/timer<sig>.json.
import { renameSync, writeFileSync } from "node:fs";
import { capsResponse, pick, settle } from "./caps.ts";
import { monoNs } from "./clock.ts";

const D = process.env.BENCH_DIR!;
const register = pick(["registerSignal", "register_signal"]);
const addTimer = pick(["addTimer", "add_timer"]);
const addRbTimer = pick(["addRbTimer", "add_rb_timer"]);
const workerId = pick(["workerId", "worker_id"]);
const ticks: Record<number, number[]> = { 20: [], 21: [] };

function onTick(signum: number) {
  const t = monoNs();
  (ticks[signum] ??= []).push(t);
  writeFileSync(`${D}/timer${signum}.json.tmp`, JSON.stringify(ticks[signum]));
  renameSync(`${D}/timer${signum}.json.tmp`, `${D}/timer${signum}.json`);
}

if (register && addTimer) {
  await settle(register(20, "mule1", onTick));
  await settle(register(21, "mule1", onTick));
  if (workerId && workerId() === 1) {
    const tReg = monoNs();
    await settle(addTimer(20, 1));
    if (addRbTimer) await settle(addRbTimer(21, 1));
    writeFileSync(`${D}/registered.json`, JSON.stringify({ t_reg_ns: tReg, rb: !!addRbTimer, pid: process.pid }));
  }
}

export default {
  fetch(req: Request): Response {
    if (new URL(req.url).pathname === "/caps") return capsResponse({ registerSignal: register, addTimer, workerId });
    return new Response("ok");
  },
};
