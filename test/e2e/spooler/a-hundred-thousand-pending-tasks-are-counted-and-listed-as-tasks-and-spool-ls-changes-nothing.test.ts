// Tasks, not files: 100,000 tasks spooled pipelined (group commit) and due in
// an hour are 100,000 in the stats' pending, in the /metrics gauge and in
// `mulefarm spool ls`, which names each task's function, attempts and due
// time, and changes nothing in the spool directory.
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { run, stats, until } from "../lib.ts";
import { startSpooler } from "../spool-lib.ts";

/** Every entry under `dir` with its inode, size and mtime. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p);
      out.push(`${p} ${st.ino} ${st.size} ${st.mtimeMs} ${st.nlink}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

test("100,000 pending tasks are 100,000 in the stats, /metrics and spool ls, which lists them by name and changes nothing", async () => {
  const s = await startSpooler(["--stats-http"]);
  try {
    assert.equal(await s.get("/later?n=100000&s=3600"), "ok");
    const d = await until(async () => { const x = await stats(s.sport, true); return x.spoolers[0].pending === 100_000 && x; }, 30000, "stats pending 100000");
    assert.equal(d.spoolers[0].pending, 100_000);
    const metrics = await (await fetch(`http://127.0.0.1:${s.sport}/metrics`)).text();
    assert.match(metrics, /mulefarm_spooler_pending_tasks\{[^}]*\} 100000\b/);

    const before = snapshot(s.dir);
    const r = await run(["spool", "ls", s.dir], { timeoutMs: 60000 });
    assert.equal(r.code, 0, r.output);
    assert.deepEqual(snapshot(s.dir), before, "spool ls changed nothing on disk");
    assert.match(r.output, /^pending \(100000\)$/m);
    assert.match(r.output, /100000 pending, 0 running, 0 failed, 0 quarantined in .* \(spooler-sync always\)/);
    const rows = r.output.split("\n").filter((l) => /^\s+\S+\s+record\s+attempts 0\s+due \d{4}-\d\d-\d\dT/.test(l));
    assert.equal(rows.length, 50, `50 rows naming the function, attempts and due time:\n${r.output.slice(0, 2000)}`);
    assert.match(r.output, /\.\.\. 99950 more/);

    const id = rows[0].trim().split(/\s+/)[0];
    const show = await run(["spool", "show", s.dir, id]);
    assert.equal(show.code, 0, show.output);
    const shown = JSON.parse(show.output);
    assert.equal(shown.state, "pending");
    assert.equal(shown.task.name, "record");
    assert.equal(shown.task.attempts, 0);
    assert.ok(shown.task.at, "its at");
    assert.match(shown.due, /^\d{4}-\d\d-\d\dT/, "its due time");
  } finally { await s.mf.stop(); }
}, 180000);
