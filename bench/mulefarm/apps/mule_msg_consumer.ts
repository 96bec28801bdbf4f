// Programmed mule for mule_msg_throughput: counts messages with
// Mule.getMessage(). Messages start with a 16-digit sequence number. After
// every idle second (getMessage resolves null after 1 s) the mule writes its
// state to $BENCH_DIR/mule<id>.json (+ mule<id>.seen: one byte per sequence
// number = times received). A mule lives while it has work pending, so it
// stays in this getMessage loop.
import { Mule } from "mulefarm";
import { renameSync, writeFileSync } from "node:fs";
import { hrNs, monoNs, toMono } from "./clock.ts";
const D = process.env.BENCH_DIR!;
const N = Number(process.env.BENCH_N);
const mid = Mule.currentId();
const seen = new Uint8Array(N);
let count = 0, first = 0, last = 0, prev = -1, outOfOrder = 0, bad = 0;

function atomic(path: string, data: string | Uint8Array) {
  writeFileSync(path + ".tmp", data);
  renameSync(path + ".tmp", path);
}

function dump() {
  atomic(`${D}/mule${mid}.seen`, seen);
  atomic(`${D}/mule${mid}.json`, JSON.stringify({ mule: mid, pid: process.pid, count,
    first_ns: count ? toMono(first) : 0, last_ns: count ? toMono(last) : 0,
    out_of_order: outOfOrder, bad, written_ns: monoNs() }));
}

function seqOf(m: string | Uint8Array): number {
  if (typeof m === "string") return m.length >= 16 ? Number(m.slice(0, 16)) : NaN;
  if (m.length < 16) return NaN;
  let v = 0;
  for (let k = 0; k < 16; k++) {
    const d = m[k] - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

async function main() {
  atomic(`${D}/mule${mid}.ready`, JSON.stringify({ mule: mid, pid: process.pid, t_ns: monoNs() }));
  for (;;) {
    const m = await Mule.getMessage({ timeout: 1 });
    if (m === null) { dump(); continue; }
    const t = hrNs(); // process-local: converted to CLOCK_MONOTONIC in dump()
    if (!count) first = t;
    last = t;
    count++;
    const i = seqOf(m);
    if (!Number.isInteger(i)) { bad++; continue; }
    if (i < prev) outOfOrder++;
    prev = i;
    if (i >= 0 && i < N && seen[i] < 255) seen[i]++;
  }
}

main().catch((e) => { console.error(`consumer failed: ${e?.stack ?? e}`); process.exit(1); });
