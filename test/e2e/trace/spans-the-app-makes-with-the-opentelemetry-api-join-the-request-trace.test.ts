// The SDK is registered globally before user code loads, so an app that
// uses @opentelemetry/api itself gets its spans into the same traces: a
// span it starts in a request is the request span's child, and a task
// spooled inside it is its child.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, readJson, RUNTIME, start, tmp, until } from "../lib.ts";
import { startReceiver } from "../otlp-lib.ts";

test("a span the app starts with @opentelemetry/api is a child of the request's span and the parent of what it spools", async () => {
  if (RUNTIME === "compiled") {
    // User code run by the compiled binary resolves no package from node_modules (only "mulefarm…"): not this one either.
    console.log("skipped under MF_RUNTIME=compiled: the binary gives user code no @opentelemetry/api to import");
    return;
  }
  const rx = await startReceiver();
  const out = tmp("mf-trace-own-");
  const port = await freePort();
  const mf = start([
    "--http", `127.0.0.1:${port}`, "--module", "test/fixtures/trace/own-spans.ts", "--import", "test/fixtures/trace/tasks.ts", "--spooler", `${out}/spool`,
  ], { env: { OUT: out, OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "", OTEL_SDK_DISABLED: "", OTEL_TRACES_EXPORTER: "", OTEL_BSP_SCHEDULE_DELAY: "100" } });
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/`)).ok, 20000, "the worker answers");
    const worker = await (await fetch(`http://127.0.0.1:${port}/own`)).json();
    await until(() => readJson(`${out}/task.json`), 15000, "the task ran");
    const spans = await until(() => {
      const own = rx.spans.find((s) => s.name === "checkout");
      const mine = own ? rx.spans.filter((s) => s.traceId === own.traceId) : [];
      return ["GET", "checkout", "spool note", "run note"].every((n) => mine.some((s) => s.name === n)) ? mine : null;
    }, 20000, `the app's span and ours in one trace (got: ${rx.spans.map((s) => s.name).join(", ")})`);
    const by = (n: string) => spans.find((s) => s.name === n)!;
    assert.equal(by("checkout").parentSpanId, by("GET").spanId);
    assert.equal(by("spool note").parentSpanId, by("checkout").spanId);
    assert.equal(by("run note").parentSpanId, by("spool note").spanId);
    assert.equal(by("checkout").attributes["shop.items"], 3);
    assert.equal(by("checkout").resource["process.pid"], worker.pid);
  } finally {
    await mf.stop();
    await rx.close();
  }
}, 90000);
