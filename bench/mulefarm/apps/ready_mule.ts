// Programmed mule for footprint: announce readiness once, then idle in a
// getMessage loop (a programmed mule lives while it has work pending).
import { Mule } from "mulefarm";
import { renameSync, writeFileSync } from "node:fs";

// Not clock.ts: its CLOCK_MONOTONIC read goes through bun:ffi, whose dlopen
// costs each mule ~2 ms of CPU at start (uWSGI's Python reads its clock for
// free). This clock is the wall clock, as every process on the machine shares
// it; the driver converts it to CLOCK_MONOTONIC with an offset it measures.
const t = performance.timeOrigin + performance.now();
const D = process.env.BENCH_DIR!;
const mid = Mule.currentId();
writeFileSync(`${D}/mule${mid}.ready.tmp`, JSON.stringify({ mule: mid, pid: process.pid, t_wall_ms: t }));
renameSync(`${D}/mule${mid}.ready.tmp`, `${D}/mule${mid}.ready`);

async function idle() {
  for (;;) await Mule.getMessage();
}
void idle();
