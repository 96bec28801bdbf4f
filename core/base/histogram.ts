// Latency histograms that children keep and the master exports (stats
// document, Prometheus /metrics): fixed bucket bounds in seconds, shared by
// both sides so bucket counts from several processes add up.
//
// A histogram travels as a plain number array (msgpack, in the stats push):
// one count per bound (not cumulative), then the +Inf count, the total count
// and the sum of observed seconds.

/** Upper bounds in seconds: sub-millisecond for queue wake-ups, minutes for long tasks. */
export const BOUNDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const INF = BOUNDS.length, COUNT = BOUNDS.length + 1, SUM = BOUNDS.length + 2;

export type Histogram = number[];

export const newHistogram = (): Histogram => new Array(BOUNDS.length + 3).fill(0);

/** Counts one observation of `seconds`. */
export function observeInto(h: Histogram, seconds: number): void {
  let i = 0;
  while (i < BOUNDS.length && seconds > BOUNDS[i]) i++;
  h[i]++;
  h[COUNT]++;
  h[SUM] += seconds;
}

/** Adds `from` into `into` (several processes of one role or spooler). */
export function addInto(into: Histogram, from: unknown): Histogram {
  if (!Array.isArray(from) || from.length !== into.length) return into;
  for (let i = 0; i < into.length; i++) into[i] += Number(from[i]) || 0;
  return into;
}

/** The stats document's form: bucket upper bounds ("le", Prometheus' meaning; the last is "+Inf"), cumulative counts, count and sum. */
export interface HistogramDoc { le: Array<number | "+Inf">; counts: number[]; count: number; sum: number }

export function histogramDoc(h: Histogram): HistogramDoc {
  const counts: number[] = [];
  let acc = 0;
  for (let i = 0; i <= INF; i++) counts.push((acc += h[i]));
  return { le: [...BOUNDS, "+Inf"], counts, count: h[COUNT], sum: Math.round(h[SUM] * 1e6) / 1e6 };
}
