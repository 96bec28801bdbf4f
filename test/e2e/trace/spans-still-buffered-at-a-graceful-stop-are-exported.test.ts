// A process that stops gracefully exports the spans it still holds: with
// the batch processor's interval far away, the spans of a request reach the
// receiver only because the stop flushes them.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, readJson, start, tmp, until } from "../lib.ts";
import { startReceiver } from "../otlp-lib.ts";

test("spans still buffered when the instance stops gracefully are exported by the stop", async () => {
  const rx = await startReceiver();
  const out = tmp("mf-trace-stop-");
  const port = await freePort();
  const mf = start([
    "--http", `127.0.0.1:${port}`, "--module", "test/fixtures/trace/app.ts", "--import", "test/fixtures/trace/tasks.ts",
    "--spooler", `${out}/spool`, "--mule=test/fixtures/trace/mule.ts",
  ], { env: { OUT: out, OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "", OTEL_SDK_DISABLED: "", OTEL_TRACES_EXPORTER: "", OTEL_BSP_SCHEDULE_DELAY: "600000" } });
  let stopped = false;
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/loaded`)).ok, 20000, "the worker answers");
    assert.equal((await fetch(`http://127.0.0.1:${port}/work`)).status, 200);
    await until(() => readJson(`${out}/task.json`), 15000, "the task ran");
    await until(() => readJson(`${out}/mule.json`), 15000, "the mule took the message");
    assert.equal(rx.spans.length, 0, "nothing exported before the stop (10 min interval)");
    const r = await mf.stop();
    stopped = true;
    assert.equal(r.code, 0);
    const names = new Set(rx.spans.map((s) => s.name));
    for (const n of ["GET", "spool note", "send mule1", "run note", "receive mule1"]) assert.ok(names.has(n), `"${n}" exported at the stop (got ${[...names].join(", ")})`);
  } finally {
    if (!stopped) await mf.stop();
    await rx.close();
  }
}, 90000);
