// Acceptance 4 of issue 18: with OTEL_EXPORTER_OTLP_ENDPOINT set, one HTTP
// request whose handler spools a task and messages a mule yields one trace
// whose spans come from three processes (worker, spooler, mule), with the
// right parents; the real OTLP/HTTP exporter sends them to a receiver this
// test runs. The instance runs in a directory with no node_modules above it
// (a temp dir), so under MF_RUNTIME=compiled the SDK can only come from
// inside the binary.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { FIX, freePort, readJson, start, tmp, until } from "../lib.ts";
import { randomHex, startReceiver, type ReceivedSpan } from "../otlp-lib.ts";

test("a request that spools a task and messages a mule is one trace: worker, spooler and mule spans with the right parents", async () => {
  const rx = await startReceiver();
  const out = tmp("mf-trace-");
  const port = await freePort();
  const mf = start([
    "--http", `127.0.0.1:${port}`, "--module", `${FIX}/trace/app.ts`, "--import", `${FIX}/trace/tasks.ts`,
    "--spooler", `${out}/spool`, `--mule=${FIX}/trace/mule.ts`,
  ], { cwd: out, env: { OUT: out, OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "", OTEL_SERVICE_NAME: "trace-test", OTEL_BSP_SCHEDULE_DELAY: "100", OTEL_SDK_DISABLED: "", OTEL_TRACES_EXPORTER: "" } });
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/loaded`)).ok, 20000, "the worker answers");
    // The caller's own trace continues: its traceparent header names the parent of the request's span.
    const traceId = randomHex(16), callerSpan = randomHex(8);
    const r = await fetch(`http://127.0.0.1:${port}/work`, { headers: { traceparent: `00-${traceId}-${callerSpan}-01` } });
    assert.equal(r.status, 200);
    const worker = await r.json();
    const task = await until(() => readJson(`${out}/task.json`), 15000, "the task ran");
    const mule = await until(() => readJson(`${out}/mule.json`), 15000, "the mule took the message");
    assert.equal(mule.msg, "hello from the request", "the mule sees the message without its envelope");

    const want = ["GET", "spool note", "send mule1", "run note", "receive mule1"];
    const spans = await until(() => {
      const mine = rx.spans.filter((s) => s.traceId === traceId);
      return want.every((n) => mine.some((s) => s.name === n)) ? mine : null;
    }, 20000, `spans ${want.join(", ")} at the receiver (got: ${rx.spans.map((s) => s.name).join(", ")})`);
    const by = (name: string): ReceivedSpan => {
      const found = spans.filter((s) => s.name === name);
      assert.equal(found.length, 1, `one "${name}" span in the trace`);
      return found[0];
    };
    const http = by("GET"), spooled = by("spool note"), sent = by("send mule1"), run = by("run note"), received = by("receive mule1");

    // Parents: caller → GET → {spool → run, send → receive}.
    assert.equal(http.parentSpanId, callerSpan);
    assert.equal(spooled.parentSpanId, http.spanId);
    assert.equal(sent.parentSpanId, http.spanId);
    assert.equal(run.parentSpanId, spooled.spanId);
    assert.equal(received.parentSpanId, sent.spanId);

    // Three processes: the worker's pid, the spooler's, the mule's (as each reported it itself).
    const pid = (s: ReceivedSpan) => s.resource["process.pid"];
    assert.equal(pid(http), worker.pid);
    assert.equal(pid(spooled), worker.pid);
    assert.equal(pid(sent), worker.pid);
    assert.equal(pid(run), task.pid);
    assert.equal(pid(received), mule.pid);
    assert.equal(new Set([worker.pid, task.pid, mule.pid]).size, 3);
    assert.equal(new Set(spans.map((s) => s.resource["service.instance.id"])).size, 3);
    assert.deepEqual([http, run, received].map((s) => s.resource["mulefarm.role"]), ["worker", "spooler", "mule"]);
    assert.ok(spans.every((s) => s.resource["service.name"] === "trace-test"), "OTEL_SERVICE_NAME names the service");

    // Kinds (OTLP numbers) and the attributes the docs promise.
    assert.deepEqual([http, spooled, sent, run, received].map((s) => s.kind), [2, 4, 4, 5, 5]);
    assert.equal(http.attributes["http.request.method"], "GET");
    assert.equal(http.attributes["url.path"], "/work");
    assert.equal(http.attributes["http.response.status_code"], 200);
    assert.equal(spooled.attributes["messaging.message.id"], worker.id);
    assert.equal(run.attributes["messaging.message.id"], worker.id);
    assert.equal(run.attributes["mulefarm.task.outcome"], "complete");
    assert.equal(received.attributes["messaging.destination.name"], "mule1");
    assert.equal(task.sdk && mule.sdk, true, "each process loaded the SDK");
  } finally {
    await mf.stop();
    await rx.close();
  }
}, 90000);
