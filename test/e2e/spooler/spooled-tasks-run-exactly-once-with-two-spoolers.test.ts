import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { until } from "../lib.ts";
import { startSpooler } from "../spool-lib.ts";

test("5000 tasks from spool() all run exactly once with 2 spooler processes", async () => {
  const s = await startSpooler(["--spooler-processes", "2"]);
  try {
    assert.deepEqual(await s.get("/enqueue?n=5000"), { ok: 5000 });
    await until(() => s.log("done.log").length >= 5000, 30000, "5000 runs");
    await new Promise((r) => setTimeout(r, 300));
    const lines = s.log("done.log");
    const ids = lines.map((l) => Number(l.split(" ")[0]));
    assert.equal(lines.length, 5000, "no task ran twice");
    assert.equal(new Set(ids).size, 5000, "none missing");
    const pids = new Set(lines.map((l) => l.split(" ")[1]));
    assert.equal(pids.size, 2, "both spooler processes took tasks");
  } finally { await s.mf.stop(); }
}, 60000);
