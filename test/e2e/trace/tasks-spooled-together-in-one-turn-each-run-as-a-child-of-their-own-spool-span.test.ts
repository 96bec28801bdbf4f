// Tasks spooled in the same turn are accepted together (one group commit);
// each still carries its own traceparent, so each run is the child of its
// own spool span.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, start, tmp, until } from "../lib.ts";
import { startReceiver } from "../otlp-lib.ts";

test("three tasks spooled in one turn (accepted together) each run as the child of their own spool span", async () => {
  const rx = await startReceiver();
  const out = tmp("mf-trace-batch-");
  const port = await freePort();
  const mf = start([
    "--http", `127.0.0.1:${port}`, "--module", "test/fixtures/trace/app.ts", "--import", "test/fixtures/trace/tasks.ts",
    "--spooler", `${out}/spool`, "--mule=test/fixtures/trace/mule.ts",
  ], { env: { OUT: out, OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "", OTEL_SDK_DISABLED: "", OTEL_TRACES_EXPORTER: "", OTEL_BSP_SCHEDULE_DELAY: "100" } });
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/loaded`)).ok, 20000, "the worker answers");
    const { ids } = await (await fetch(`http://127.0.0.1:${port}/batch`)).json();
    assert.equal(new Set(ids).size, 3, "three tasks");
    await until(() => { try { return readFileSync(`${out}/tasks.log`, "utf8").trim().split("\n").length === 3; } catch { return false; } }, 15000, "the three tasks ran");
    const spans = await until(() => {
      const http = rx.spans.find((s) => s.name === "GET" && s.attributes["url.path"] === "/batch");
      const mine = http ? rx.spans.filter((s) => s.traceId === http.traceId) : [];
      return mine.filter((s) => s.name === "run note").length === 3 ? mine : null;
    }, 20000, `three run spans in the request's trace (got: ${rx.spans.map((s) => s.name).join(", ")})`);
    const http = spans.find((s) => s.name === "GET")!;
    const spooled = spans.filter((s) => s.name === "spool note");
    const runs = spans.filter((s) => s.name === "run note");
    assert.equal(spooled.length, 3);
    assert.ok(spooled.every((s) => s.parentSpanId === http.spanId));
    assert.deepEqual(runs.map((r) => r.parentSpanId).sort(), spooled.map((s) => s.spanId).sort(), "each run's parent is a different spool span");
    for (const r of runs) {
      const parent = spooled.find((s) => s.spanId === r.parentSpanId)!;
      assert.equal(r.attributes["messaging.message.id"], parent.attributes["messaging.message.id"], "run and spool name the same task id");
    }
  } finally {
    await mf.stop();
    await rx.close();
  }
}, 90000);
