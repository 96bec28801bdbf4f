// --cron shell commands run in the master: each run is a span there (from
// spawn to exit), and the command finds the span in $TRACEPARENT, so a
// command-line tool can continue the trace.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { start, tmp, until } from "../lib.ts";
import { startReceiver } from "../otlp-lib.ts";

const lines = (f: string) => (existsSync(f) ? readFileSync(f, "utf8").trim().split("\n").filter(Boolean) : []);

test("a --cron command's run is a span of the master and the command sees it as TRACEPARENT", async () => {
  const rx = await startReceiver();
  const out = tmp("mf-trace-cron-");
  const command = `echo "$$ $TRACEPARENT" >> ${out}/runs; exit 3`;
  const mf = start(["--cron", `* * * * * * ${command}`], {
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "", OTEL_SDK_DISABLED: "", OTEL_TRACES_EXPORTER: "", OTEL_BSP_SCHEDULE_DELAY: "100" },
  });
  try {
    const [pid, tp] = (await until(() => lines(`${out}/runs`)[0], 10000, "a run")).split(" ");
    assert.match(tp ?? "", /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/, "the command got a W3C traceparent");
    const [, traceId, spanId] = tp.split("-");
    const span = await until(() => rx.spans.find((s) => s.spanId === spanId), 15000, `the run's span (got: ${rx.spans.map((s) => s.name).join(", ")})`);
    assert.equal(span.traceId, traceId);
    assert.equal(span.name, `cron ${command}`);
    assert.equal(span.kind, 1);
    assert.equal(span.resource["mulefarm.role"], "master");
    assert.equal(span.resource["process.pid"], mf.pid);
    assert.equal(span.attributes["mulefarm.cron.pid"], Number(pid));
    assert.equal(span.attributes["process.exit.code"], 3);
    assert.equal(span.status?.code, 2, "a non-zero exit is the span's error");
  } finally {
    await mf.stop();
    await rx.close();
  }
}, 60000);
