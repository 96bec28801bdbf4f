// The charts' data: one compact sample a second, computed from two stats
// documents in a row (rates from counter deltas, percentiles from the
// histograms' bucket deltas), kept for the last minutes in a bounded ring.
// A counter that went down (its process was respawned) counts from zero.
import type { HistogramDoc } from "../base/histogram.ts";

type Doc = Record<string, any>;

/** Samples kept: five minutes at one a second. */
export const SAMPLES = 300;

export interface Sample {
  /** Unix seconds. */
  t: number;
  /** Worker id → [requests/s, p50 ms, p95 ms, p99 ms] (percentiles null without requests). */
  w: Record<string, Array<number | null>>;
  /** Mule id → [messages/s, queue]. */
  m: Record<string, number[]>;
  /** Queue depth of each farm (by name) and of the shared queue ("shared"). */
  q: Record<string, number>;
  /** Spooler index → [tasks/s, pending, running, failed, due→start wait p50 ms, p95 ms]. */
  s: Record<string, Array<number | null>>;
}

const delta = (now: number, before: number | undefined) => (before === undefined || now < before ? now : now - before);

/** The `q`-quantile in ms of the observations between two cumulative histograms (linear within a bucket), or null. */
export function quantileMs(now: HistogramDoc | undefined, before: HistogramDoc | undefined, q: number): number | null {
  if (!now) return null;
  const reset = !before || before.count > now.count;
  const counts = now.counts.map((c, i) => c - (reset ? 0 : before!.counts[i] ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] < rank) continue;
    const lo = i === 0 ? 0 : Number(now.le[i - 1]);
    const hiRaw = now.le[i];
    const hi = hiRaw === "+Inf" ? lo * 2 : Number(hiRaw);
    const below = i === 0 ? 0 : counts[i - 1];
    const inBucket = counts[i] - below;
    const frac = inBucket > 0 ? (rank - below) / inBucket : 1;
    return Math.round((lo + (hi - lo) * frac) * 1e6) / 1e3;
  }
  return null;
}

export function sampleOf(now: Doc, before: Doc | null, dtS: number, t: number): Sample {
  const dt = dtS > 0 ? dtS : 1;
  const rate = (n: number, b: number | undefined) => Math.round((delta(n, b) / dt) * 100) / 100;
  const prevW = new Map<number, Doc>((before?.workers ?? []).map((w: Doc) => [w.id, w]));
  const prevM = new Map<number, Doc>((before?.mules ?? []).map((m: Doc) => [m.id, m]));
  const prevS = new Map<string, Doc>((before?.spoolers ?? []).map((s: Doc) => [s.dir, s]));
  const w: Sample["w"] = {};
  for (const x of now.workers ?? []) {
    const b = prevW.get(x.id);
    const h = b && b.pid === x.pid ? b.request_seconds : undefined;
    w[x.id] = [rate(x.requests, b?.requests), quantileMs(x.request_seconds, h, 0.5), quantileMs(x.request_seconds, h, 0.95), quantileMs(x.request_seconds, h, 0.99)];
  }
  const m: Sample["m"] = {};
  for (const x of now.mules ?? []) m[x.id] = [rate(Number(x.messages_received ?? 0), prevM.get(x.id)?.messages_received), Number(x.queue ?? 0)];
  const q: Sample["q"] = {};
  for (const f of now.farms ?? []) q[f.name] = Number(f.queue ?? 0);
  if (now.mule_shared_queue !== undefined) q.shared = Number(now.mule_shared_queue);
  const s: Sample["s"] = {};
  (now.spoolers ?? []).forEach((x: Doc, i: number) => {
    const b = prevS.get(x.dir);
    s[i] = [rate(x.tasks, b?.tasks), x.pending, x.running, x.failed, quantileMs(x.task_wait_seconds, b?.task_wait_seconds, 0.5), quantileMs(x.task_wait_seconds, b?.task_wait_seconds, 0.95)];
  });
  return { t, w, m, q, s };
}

/** The last SAMPLES samples. */
export class SampleRing {
  private ring: Sample[] = [];
  private last: { doc: Doc; at: number } | null = null;

  constructor(private size = SAMPLES) {}

  add(doc: Doc, atMs = Date.now()): Sample {
    const s = sampleOf(doc, this.last?.doc ?? null, this.last ? (atMs - this.last.at) / 1000 : 1, Math.round(atMs / 100) / 10);
    // The first sample has no interval to rate: its counters are totals, not rates.
    if (!this.last) for (const k of Object.keys(s.w)) s.w[k][0] = 0;
    if (!this.last) for (const k of Object.keys(s.m)) s.m[k][0] = 0;
    if (!this.last) for (const k of Object.keys(s.s)) s.s[k][0] = 0;
    this.last = { doc, at: atMs };
    this.ring.push(s);
    if (this.ring.length > this.size) this.ring.splice(0, this.ring.length - this.size);
    return s;
  }

  all(): Sample[] {
    return this.ring.slice();
  }
}
