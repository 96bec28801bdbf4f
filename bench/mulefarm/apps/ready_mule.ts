// Programmed mule for footprint: announce readiness once, then idle in a
// getMessage loop (a programmed mule lives while it has work pending).
import { Mule } from "mulefarm";
import { renameSync, writeFileSync } from "node:fs";
import { monoNs } from "./clock.ts";

const t = monoNs();
const D = process.env.BENCH_DIR!;
const mid = Mule.currentId();
writeFileSync(`${D}/mule${mid}.ready.tmp`, JSON.stringify({ mule: mid, pid: process.pid, t_ns: t }));
renameSync(`${D}/mule${mid}.ready.tmp`, `${D}/mule${mid}.ready`);

async function idle() {
  for (;;) await Mule.getMessage();
}
void idle();
