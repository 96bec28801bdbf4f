import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { until } from "../lib.ts";
import { startSpooler } from "../spool-lib.ts";

test("a task with at 2 s ahead does not run before and runs within 2.1 s", async () => {
  const s = await startSpooler();
  try {
    const r = await s.get("/at?s=2");
    const line = await until(() => s.log("order.log")[0], 5000, "the at task");
    const ran = Number(line.split(" ")[1]);
    assert.ok(ran >= r.at, `ran ${r.at - ran} ms before its time`);
    assert.ok(ran <= r.now + 2100, `ran ${ran - r.now} ms after the call, within 2100`);
  } finally { await s.mf.stop(); }
}, 30000);

test("priority 1 runs before priority 5 enqueued first", async () => {
  const s = await startSpooler();
  try {
    await s.get("/prio");
    await until(() => s.log("order.log").length >= 2, 5000, "both tasks");
    assert.deepEqual(s.log("order.log").map((l) => l.split(" ")[0]), ["p1", "p5"]);
  } finally { await s.mf.stop(); }
}, 30000);
