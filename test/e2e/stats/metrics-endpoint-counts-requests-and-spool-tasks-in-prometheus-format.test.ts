import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startSpooler } from "../spool-lib.ts";
import { until } from "../lib.ts";

/** Parses Prometheus' text format strictly enough to catch a malformed line: samples by series, and each metric's TYPE. */
function parse(text: string) {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line) continue;
    const t = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$/.exec(line);
    if (t) { types.set(t[1], t[2]); continue; }
    if (line.startsWith("# HELP ")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+]+|\+Inf|NaN)$/.exec(line);
    assert.ok(m, `a malformed line: ${line}`);
    const base = m[1].replace(/_(bucket|sum|count)$/, "");
    assert.ok(types.has(m[1]) || types.get(base) === "histogram", `a sample before its TYPE line: ${line}`);
    samples.set(m[1] + (m[2] ?? ""), Number(m[3]));
  }
  return { types, samples, get: (series: string) => samples.get(series) };
}

test("GET /metrics on the stats server answers Prometheus text: requests, their latency histogram and spooler task histograms add up", async () => {
  const s = await startSpooler(["--stats-http"]);
  try {
    const n = 5;
    for (let i = 0; i < n; i++) assert.deepEqual(await s.get("/enqueue?n=2"), { ok: 2 });
    await until(() => s.log("done.log").length >= 2 * n, 15000, "the tasks ran");
    const metrics = async () => {
      const r = await fetch(`http://127.0.0.1:${s.sport}/metrics`);
      assert.match(r.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
      return parse(await r.text());
    };
    // Children push their counters at most every 100 ms.
    const m = await until(async () => {
      const p = await metrics();
      return p.get(`mulefarm_http_request_duration_seconds_count{worker="1"}`) === n && p.get(`mulefarm_spooler_task_duration_seconds_count{dir="${s.dir}"}`) === 2 * n ? p : null;
    }, 10000, "requests and tasks counted") as ReturnType<typeof parse>;
    assert.equal(m.types.get("mulefarm_worker_requests_total"), "counter");
    assert.equal(m.get(`mulefarm_worker_requests_total{worker="1"}`), n);
    assert.equal(m.types.get("mulefarm_http_request_duration_seconds"), "histogram");
    assert.equal(m.get(`mulefarm_http_request_duration_seconds_bucket{worker="1",le="+Inf"}`), n);
    // Buckets are cumulative: never decreasing, up to +Inf = count.
    const buckets = [...m.samples].filter(([k]) => k.startsWith(`mulefarm_spooler_task_wait_seconds_bucket{dir="${s.dir}"`)).map(([, v]) => v);
    assert.ok(buckets.length > 5);
    assert.deepEqual([...buckets].sort((a, b) => a - b), buckets);
    assert.equal(buckets.at(-1), 2 * n);
    assert.equal(m.get(`mulefarm_spooler_tasks_total{dir="${s.dir}"}`), 2 * n);
    assert.equal(m.get(`mulefarm_spooler_pending_tasks{dir="${s.dir}"}`) !== undefined, true);
    assert.equal(m.get(`mulefarm_process_up{role="worker",id="1"}`), 1);
    assert.ok((m.get(`mulefarm_process_resident_memory_bytes{role="worker",id="1"}`) ?? 0) > 1e6);
    // Any other path still answers the JSON document, now with the histograms in it.
    const doc = await (await fetch(`http://127.0.0.1:${s.sport}/`)).json();
    assert.equal(doc.workers[0].request_seconds.count, n);
    assert.equal(doc.spoolers[0].task_seconds.count, 2 * n);
  } finally { await s.mf.stop(); }
}, 60000);
