// The off path: without OTEL_EXPORTER_OTLP_ENDPOINT (or with it and
// OTEL_SDK_DISABLED=true) no process of the instance loads the OpenTelemetry
// SDK or registers the OTel API, nothing is sent anywhere, and messages and
// tasks are exactly what the user sent.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, readJson, start, tmp, until } from "../lib.ts";
import { startReceiver, type Receiver } from "../otlp-lib.ts";

/** The exporter's default endpoint: a loaded SDK with no endpoint variable would send here. */
const DEFAULT_OTLP_PORT = 4318;

async function runOnce(env: Record<string, string>, rx: Receiver, also: Receiver | null) {
  const out = tmp("mf-trace-off-");
  const port = await freePort();
  const mf = start([
    "--http", `127.0.0.1:${port}`, "--module", "test/fixtures/trace/app.ts", "--import", "test/fixtures/trace/tasks.ts",
    "--spooler", `${out}/spool`, "--mule=test/fixtures/trace/mule.ts",
  ], { env: { OUT: out, OTEL_EXPORTER_OTLP_ENDPOINT: "", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "", OTEL_SDK_DISABLED: "", OTEL_TRACES_EXPORTER: "", OTEL_SERVICE_NAME: "off-test", OTEL_BSP_SCHEDULE_DELAY: "50", ...env } });
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/loaded`)).ok, 20000, "the worker answers");
    const r = await fetch(`http://127.0.0.1:${port}/work`, { headers: { traceparent: `00-${"ab".repeat(16)}-${"cd".repeat(8)}-01` } });
    assert.equal(r.status, 200);
    const task = await until(() => readJson(`${out}/task.json`), 15000, "the task ran");
    const mule = await until(() => readJson(`${out}/mule.json`), 15000, "the mule took the message");
    const worker = await (await fetch(`http://127.0.0.1:${port}/loaded`)).json();
    for (const [who, seen] of [["worker", worker], ["spooler", task], ["mule", mule]] as const) {
      assert.equal(seen.sdk, false, `the ${who} did not load core/trace/sdk.ts`);
      assert.equal(seen.api, false, `nothing registered the OpenTelemetry API's global in the ${who}`);
    }
    assert.equal(mule.msg, "hello from the request", "the message is the user's bytes, with no envelope");
    // Longer than any export interval a loaded SDK would have used (50 ms here).
    await new Promise((res) => setTimeout(res, 500));
  } finally {
    await mf.stop();
  }
  assert.deepEqual(rx.requests, [], "the receiver named by the variables got nothing");
  if (also) assert.deepEqual(also.requests, [], `nothing reached the exporter's default port ${DEFAULT_OTLP_PORT}`);
}

/** A receiver on the exporter's default port when it is free (another program may hold it: then that check is skipped). */
async function onDefaultPort(): Promise<Receiver | null> {
  try { return await startReceiver(DEFAULT_OTLP_PORT); } catch { return null; }
}

test("without OTEL_EXPORTER_OTLP_ENDPOINT no process loads the OpenTelemetry SDK and nothing is sent", async () => {
  const rx = await startReceiver();
  const dflt = await onDefaultPort();
  try {
    await runOnce({ OTEL_EXPORTER_OTLP_HEADERS: "x-test=1" }, rx, dflt);
  } finally {
    await rx.close();
    await dflt?.close();
  }
}, 90000);

test("with the endpoint set but OTEL_SDK_DISABLED=true no process loads the SDK and the endpoint gets nothing", async () => {
  const rx = await startReceiver();
  try {
    await runOnce({ OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_SDK_DISABLED: "true" }, rx, null);
  } finally {
    await rx.close();
  }
}, 90000);
