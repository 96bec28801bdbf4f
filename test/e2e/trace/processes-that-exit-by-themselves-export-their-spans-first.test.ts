// A process that leaves on its own, not through a stop, still exports what
// it holds: a --spooler-cheap spooler that parks when idle, a programmed
// mule whose program ended. The batch interval is 10 minutes here, so these
// spans can only come from the exit path.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, readJson, start, tmp, until } from "../lib.ts";
import { startReceiver } from "../otlp-lib.ts";

test("a parked --spooler-cheap spooler and a mule whose program ended export their spans before they exit", async () => {
  const rx = await startReceiver();
  const out = tmp("mf-trace-exit-");
  const port = await freePort();
  const mf = start([
    "--http", `127.0.0.1:${port}`, "--module", "test/fixtures/trace/app.ts", "--import", "test/fixtures/trace/tasks.ts",
    "--spooler", `${out}/spool`, "--spooler-cheap", "--mule=test/fixtures/trace/one-message-mule.ts",
  ], { env: { OUT: out, OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "", OTEL_SDK_DISABLED: "", OTEL_TRACES_EXPORTER: "", OTEL_BSP_SCHEDULE_DELAY: "600000" } });
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/loaded`)).ok, 20000, "the worker answers");
    assert.equal((await fetch(`http://127.0.0.1:${port}/work`)).status, 200);
    const task = await until(() => readJson(`${out}/task.json`), 15000, "the task ran");
    const mulePid = await until(() => readdirSync(out).find((f) => /^mule-\d+\.json$/.test(f)), 15000, "the mule took its message");
    const run = await until(() => rx.spans.find((s) => s.name === "run note"), 20000, "the parked spooler's run span");
    assert.equal(run.resource["process.pid"], task.pid);
    await mf.waitFor(/program finished with nothing pending/, 15000);
    const received = await until(() => rx.spans.find((s) => s.name === "receive mule1"), 15000, "the ended mule's receive span");
    assert.equal(`mule-${received.resource["process.pid"]}.json`, mulePid);
    const sent = rx.spans.find((s) => s.name === "send mule1");
    assert.equal(sent, undefined, "the worker, still running, has exported nothing yet (10 min interval)");
  } finally {
    await mf.stop();
    await rx.close();
  }
}, 90000);
