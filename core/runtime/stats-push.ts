// Children push their counters to the master when they change, at most every
// 100 ms, so the stats server never waits on a child.
import { pack } from "msgpackr/pack";
import { Kind } from "../ipc/types.ts";
import { ctx } from "./context.ts";
import { type Histogram, newHistogram, observeInto } from "../base/histogram.ts";
import { unrefTimer } from "../base/timers.ts";

let timer: ReturnType<typeof setTimeout> | undefined;

export function bump(name: string, by = 1): void {
  ctx.counters[name] = ((ctx.counters[name] as number | undefined) ?? 0) + by;
  schedule();
}

export function setStat(name: string, value: number): void {
  ctx.counters[name] = value;
  schedule();
}

/** Counts one latency observation in histogram `name` (see histogram.ts). */
export function observe(name: string, seconds: number): void {
  const h = (ctx.counters[name] ??= newHistogram()) as Histogram;
  observeInto(h, seconds);
  schedule();
}

function schedule() {
  if (timer || !ctx.channel) return;
  timer = setTimeout(() => {
    timer = undefined;
    ctx.channel?.send(Kind.Stats, pack(ctx.counters));
  }, 100);
  unrefTimer(timer);
}
