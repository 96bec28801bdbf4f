// uWSGI 2.1's --spooler-cheap: no resident spooler while nothing is due.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openStore } from "../../../core/spooler/open.ts";
import { startSpooler } from "../spool-lib.ts";
import { run, stats, until } from "../lib.ts";

test("--spooler-cheap: an idle spooler parks; a spooled task, an at task, a task written without a wake and a signal for the spooler each start it again", async () => {
  const s = await startSpooler(["--spooler-cheap", "--spooler-frequency", "1", "--import", "test/fixtures/spooler/spooler-signal.ts"]);
  const parked = async () => { const d = await stats(s.sport); return d.spoolers[0].pids[0] === 0 && d.spoolers[0].statuses[0] === "cheap"; };
  try {
    await until(parked, 10000, "the idle spooler parked");

    // A spooled task (its wake starts the spooler).
    const t0 = Date.now();
    assert.deepEqual(await s.get("/enqueue?n=3"), { ok: 3 });
    await until(() => s.log("done.log").length === 3, 10000, "the 3 tasks ran");
    assert.ok(Date.now() - t0 < 5000, `ran after ${Date.now() - t0} ms`);
    await until(parked, 10000, "parked again");

    // A task due in 3 s, spooled while the spooler runs: it parks with that due time and is started for it.
    const { at } = await s.get("/at?s=3");
    await until(parked, 10000, "parked with a task due later");
    const line = await until(() => s.log("order.log")[0], 10000, "the at task ran");
    const ranAt = Number(line.split(" ")[1]);
    assert.ok(ranAt >= at && ranAt - at < 1500, `due ${at}, ran ${ranAt}`);
    await until(parked, 10000, "parked again");

    // Written straight into the directory (no wake): the master's periodic look (--spooler-frequency 1) finds it.
    await (await openStore(s.dir)).enqueue({ name: "record", args: { id: 99 } });
    await until(() => s.log("done.log").some((l) => l.startsWith("99 ")), 10000, "the task written without a wake ran");
    await until(parked, 10000, "parked again");

    // A signal for "spooler" while it is parked: it is started and runs the handler.
    const r = await run(["signal", "40", "--stats", `127.0.0.1:${s.sport}`]);
    assert.equal(r.code, 0, r.output);
    await until(() => s.log("signal.log").length === 1, 10000, "the signal handled");
    assert.match(s.mf.output(), /spooler 1 \(pid \d+\) idle: parked until a task is due \(--spooler-cheap\)/);
    assert.doesNotMatch(s.mf.output(), /spooler 1 .*respawning/, "a park is not a death");
  } finally { await s.mf.stop(); }
}, 60000);
