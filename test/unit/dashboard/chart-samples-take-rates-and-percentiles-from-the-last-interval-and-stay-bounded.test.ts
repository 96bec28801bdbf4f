import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { addInto, histogramDoc, newHistogram, observeInto } from "../../../core/base/histogram.ts";
import { quantileMs, SampleRing } from "../../../core/dashboard/series.ts";

const hist = (seconds: number[]) => { const h = newHistogram(); for (const s of seconds) observeInto(h, s); return h; };
const doc = (pid: number, requests: number, h: number[]) => ({ workers: [{ id: 1, pid, requests, request_seconds: histogramDoc(h) }], mules: [], spoolers: [] });

test("chart samples take requests/s and latency percentiles from the last interval only, count a respawned worker from zero, and keep 300 samples", () => {
  const slow = hist(Array(100).fill(0.2)); // 100 requests in (0.1, 0.25]
  const fast = addInto(hist(Array(100).fill(0.0002)), slow); // then 100 more, all under 0.5 ms
  const ring = new SampleRing();
  ring.add(doc(10, 100, slow), 1_000);
  const s = ring.add(doc(10, 200, fast), 3_000);
  assert.equal(s.w[1][0], 50, "100 requests in 2 s");
  assert.ok(s.w[1][1]! <= 0.5, `p50 of the last interval is under 0.5 ms: ${s.w[1][1]}`);
  assert.ok(s.w[1][3]! <= 0.5, "the slow requests before are not in this interval");
  // A new pid with smaller counters: its own counts, not a negative rate.
  const r = ring.add(doc(11, 20, hist(Array(20).fill(0.02))), 4_000);
  assert.equal(r.w[1][0], 20);
  assert.ok(r.w[1][1]! > 10 && r.w[1][1]! <= 25);
  for (let i = 0; i < 400; i++) ring.add(doc(11, 20, newHistogram()), 5_000 + i * 1000);
  assert.equal(ring.all().length, 300);
  assert.equal(quantileMs(histogramDoc(newHistogram()), undefined, 0.5), null, "no request: no percentile");
});
