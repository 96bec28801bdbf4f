import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { run, stats } from "../lib.ts";
import { startSignals } from "../signal-lib.ts";

test("bad signal numbers, targets, cron fields, cron strings and time zones give named errors; the master lives", async () => {
  const s = await startSignals(["--mules", "2"], {}, 1);
  try {
    const get = async (p: string) => (await fetch(`http://127.0.0.1:${s.port}${p}`)).text();
    assert.equal(await get("/bad/number"), "InvalidSignal: signal number must be an integer 0..255: got 300");
    assert.equal(await get("/bad/target"), 'InvalidTarget: signal target "mule9" names mule 9 but there are 2 mules');
    assert.match(await get("/bad/farm"), /^InvalidTarget: unknown signal target "farm:nope"/);
    assert.equal(await get("/bad/cron-field"), 'InvalidCron: field "hour" out of range: 24');
    assert.match(await get("/bad/cron-string"), /^InvalidCron: /);
    assert.equal(await get("/bad/tz"), 'InvalidCron: unknown time zone: "Mars/Base"');
    assert.equal(await get("/bad/conflict"), 'InvalidSignal: signal 40 is already registered for target "workers": cannot register it for "mule1"');
    const d = await stats(s.sport);
    assert.equal(d.pid, s.mf.pid);
    assert.equal(await get("/"), "ok");
  } finally { await s.mf.stop(); }
}, 30000);

test("a raise with no registered handler is one log line and nothing crashes", async () => {
  const s = await startSignals(["--mules", "2"], {}, 1);
  try {
    assert.equal(await (await fetch(`http://127.0.0.1:${s.port}/raise/99`)).text(), "raised");
    await s.mf.waitFor(/signal 99 \(raise\) has no registered handler/);
    assert.equal(await (await fetch(`http://127.0.0.1:${s.port}/`)).text(), "ok");
  } finally { await s.mf.stop(); }
}, 30000);

test("mulefarm signal NUM --stats ADDR raises a signal from outside", async () => {
  const s = await startSignals(["--mules", "3"], {}, 1);
  try {
    const r = await run(["signal", "18", "--stats", `127.0.0.1:${s.sport}`]);
    assert.equal(r.code, 0, r.output);
    const { until } = await import("../lib.ts");
    await until(() => s.lines("s18").length >= 3, 5000, "s18 in every mule");
    const bad = await run(["signal", "300", "--stats", `127.0.0.1:${s.sport}`]);
    assert.equal(bad.code, 2);
    assert.match(bad.output, /NUM must be an integer 0\.\.255: got "300"/);
  } finally { await s.mf.stop(); }
}, 30000);
