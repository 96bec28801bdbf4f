import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { freePort, readJson, start, stats, tmp, until } from "../lib.ts";

// The seed 004 names no other test calls by their uwsgi name: send_to_spooler,
// spooler_jobs, spooler_get_task, spooler_pid, set_spooler_frequency,
// i_am_the_spooler, queue_pull_slot, embedded_data, farm_msg, farm_get_msg,
// in_farm, add_timer, add_rb_timer, add_cron, add_file_monitor,
// signal_registered, signal_wait, signal_received.
test("the spooler, signal, timer, farm and queue names of seed 004 work under their uwsgi names", async () => {
  const out = tmp();
  const [port, sport] = [await freePort(), await freePort()];
  const fx = "test/fixtures/compat/seed-names-more.ts";
  const spool = join(out, "spool");
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", fx, "--mule=" + fx, "--farm", "f:1", "--spooler", spool, "--spooler-import", fx, "--queue", "8", "--stats", `127.0.0.1:${sport}`], { env: { OUT: out } });
  try {
    await until(() => existsSync(`${out}/mule-ready`), 20000, "mule 1");
    const r = await until(async () => { const x = await fetch(`http://127.0.0.1:${port}/run`).catch(() => null); return x?.status === 200 ? x.json() : null; }, 20000, "/run");
    const doc = await stats(sport);
    assert.deepEqual(r, {
      send_to_spooler: true, spooler_jobs: 1, spooler_get_task: "world", spooler_pid: doc.spoolers[0].pid, set_spooler_frequency: true,
      i_am_the_spooler: false, queue_pull_slot: [0, 0], queue_pull_slot_after_pull: 1, embedded_data: true, farm_msg: true,
    });
    assert.ok(doc.spoolers[0].pid > 0);
    const m = await until(() => readJson(`${out}/mule.json`), 20000, "mule 1's report");
    assert.deepEqual(m, { in_farm: [true, false, true], signal_registered: [true, false], i_am_the_spooler: false, farm_get_msg: "to-farm", signal_wait: 26, signal_received: 26 });
    assert.deepEqual(await until(() => readJson(`${out}/spooler.json`), 20000, "the spooler's report"), { i_am_the_spooler: true });
    const d = await stats(sport);
    assert.deepEqual(d.timers.map((t: any) => [t.signal, t.kind]).sort(), [[20, "timer"], [21, "rbtimer"]]);
    assert.ok(d.crons.some((c: any) => c.signal === 22 && c.minute === -5), JSON.stringify(d.crons));
    assert.deepEqual(d.file_monitors.map((f: any) => [f.signal, f.path]), [[23, out]]);
    assert.ok(readFileSync(`${out}/spooler.json`, "utf8").length > 0);
  } finally { await mf.stop(); }
}, 60000);
