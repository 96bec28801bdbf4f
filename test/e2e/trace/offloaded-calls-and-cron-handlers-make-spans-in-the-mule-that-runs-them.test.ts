// Offloaded calls and signal handlers are traced too: a request's mulefunc
// call runs as a child span in the mule, a task spooled there continues the
// same trace into the spooler, and a cron handler's runs are spans named
// after the schedule.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, readJson, start, tmp, until } from "../lib.ts";
import { startReceiver, type ReceivedSpan } from "../otlp-lib.ts";

const lines = (f: string) => { try { return readFileSync(f, "utf8").trim().split("\n").filter(Boolean); } catch { return []; } };

test("a mulefunc call is a child span in the mule, a task it spools runs in the same trace, and cron runs are spans", async () => {
  const rx = await startReceiver();
  const out = tmp("mf-trace-offload-");
  const port = await freePort();
  const mf = start([
    "--http", `127.0.0.1:${port}`, "--module", "test/fixtures/trace/handlers.ts", "--import", "test/fixtures/trace/tasks.ts",
    "--spooler", `${out}/spool`, "--mule",
  ], { env: { OUT: out, OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "", OTEL_SDK_DISABLED: "", OTEL_TRACES_EXPORTER: "", OTEL_BSP_SCHEDULE_DELAY: "100" } });
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/`)).ok, 20000, "the worker answers");
    const worker = await (await fetch(`http://127.0.0.1:${port}/offload`)).json();
    const task = await until(() => readJson(`${out}/task.json`), 15000, "the task spooled by the mulefunc ran");
    assert.equal(task.from, "mulefunc 3");
    const mulePid = Number((await until(() => lines(`${out}/mulefunc.txt`)[0], 15000, "the mulefunc ran")));
    await until(() => lines(`${out}/cron.txt`).length >= 1, 15000, "the cron handler ran");

    const spans = await until(() => {
      const http = rx.spans.find((s) => s.name === "GET" && s.attributes["url.path"] === "/offload");
      if (!http) return null;
      const mine = rx.spans.filter((s) => s.traceId === http.traceId);
      return ["offload resize", "mulefunc resize", "spool note", "run note"].every((n) => mine.some((s) => s.name === n)) ? mine : null;
    }, 20000, `the offload trace at the receiver (got: ${rx.spans.map((s) => s.name).join(", ")})`);
    const by = (name: string): ReceivedSpan => spans.find((s) => s.name === name)!;
    const http = by("GET"), call = by("offload resize"), ran = by("mulefunc resize"), spooled = by("spool note"), run = by("run note");
    assert.equal(call.parentSpanId, http.spanId);
    assert.equal(ran.parentSpanId, call.spanId);
    assert.equal(spooled.parentSpanId, ran.spanId, "a task spooled inside the mulefunc is its child");
    assert.equal(run.parentSpanId, spooled.spanId);
    assert.deepEqual([http, call, ran, spooled, run].map((s) => s.resource["process.pid"]), [worker.pid, worker.pid, mulePid, mulePid, task.pid]);
    assert.deepEqual([call.kind, ran.kind], [4, 5]);
    assert.equal(ran.attributes["mulefarm.mulefunc"], "resize");

    const cronRun = await until(() => rx.spans.find((s) => s.name === "cron * * * * * *"), 15000, "a cron run span");
    assert.equal(cronRun.kind, 1);
    assert.equal(cronRun.resource["process.pid"], mulePid, "the cron handler ran in mule 1");
    assert.equal(cronRun.attributes["mulefarm.cron.expr"], "* * * * * *");
    assert.equal(typeof cronRun.attributes["mulefarm.signal.number"], "number");
    assert.equal(cronRun.parentSpanId, undefined, "a cron run starts its own trace");
  } finally {
    await mf.stop();
    await rx.close();
  }
}, 90000);
