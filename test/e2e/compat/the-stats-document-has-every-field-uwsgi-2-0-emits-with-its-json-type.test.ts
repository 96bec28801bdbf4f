import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { freePort, start, stats, tmp, until } from "../lib.ts";
import { startUwsgi } from "./uwsgi-lib.ts";
import { shapeDiff } from "../../unit/compat/shape-diff.ts";

// The real uWSGI 2.0 (Debian's, with workers, a cache, a mule, a spooler and
// a cron) and mulefarm configured alike: every key of uWSGI's stats document
// is in mulefarm's, recursively, with the same JSON type.
test("mulefarm's stats document has every key of uWSGI 2.0's, recursively, with the same JSON type", async () => {
  const dir = tmp();
  const [up, us, mp, ms] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const uw = startUwsgi(join(dir, "uwsgi"), [
    "--http-socket", `127.0.0.1:${up}`, "--wsgi-file", "app.py", "--processes", "2", "--cache2", "name=c1,items=10",
    "--mule=mule.py", "--spooler", join(dir, "uwsgi"), "--spooler-import", "spool.py", "--stats", `127.0.0.1:${us}`,
    "--cron", "5 -1 -1 -1 -1 /bin/true",
  ]);
  const mf = start([
    "--http", `127.0.0.1:${mp}`, "--module", "examples/hello.ts", "-p", "2", "--cache2", "name=c1,items=10",
    "--mule=test/fixtures/mules/idle.ts", "--spooler", join(dir, "mf"), "--stats", `127.0.0.1:${ms}`,
    "--cron", "5 -1 -1 -1 -1 /bin/true",
  ]);
  try {
    const served = (port: number) => until(async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.status === 200, 30000, `port ${port}`);
    await Promise.all([served(up), served(mp)]);
    for (let i = 0; i < 4; i++) { await (await fetch(`http://127.0.0.1:${up}/`)).text(); await (await fetch(`http://127.0.0.1:${mp}/`)).text(); }
    const theirs = await until(async () => { const d = await stats(us).catch(() => null); return d?.spoolers?.[0]?.pid > 0 ? d : null; }, 20000, "uWSGI's document");
    const ours = await until(async () => { const d = await stats(ms).catch(() => null); return d?.workers?.every((w: any) => w.status === "idle") && d.workers.reduce((a: number, w: any) => a + w.requests, 0) === 5 && d.spoolers?.[0]?.pid > 0 ? d : null; }, 20000, "mulefarm's document");
    assert.match(theirs.version, /^2\.0\./, `real uWSGI 2.0: ${theirs.version}`);
    for (const k of ["listen_queue", "listen_queue_errors", "signal_queue", "load", "locks", "caches", "sockets", "workers", "spoolers", "crons"]) assert.ok(k in theirs, `uWSGI's document has ${k}`);
    const diff = shapeDiff(theirs, ours, "", new Set(["locks"]));
    assert.deepEqual(diff, [], `mulefarm's document differs from uWSGI's:\n${diff.join("\n")}\nuWSGI: ${JSON.stringify(theirs)}`);
    // Real values where mulefarm has them.
    assert.deepEqual(ours.workers.map((w: any) => w.cores.length), [1, 1]);
    for (const w of ours.workers) {
      assert.equal(w.accepting, 1);
      assert.ok(w.vsz > w.rss && w.rss > w.uss && w.uss > 0, `vsz ${w.vsz} rss ${w.rss} uss ${w.uss}`);
      assert.equal(w.cores[0].requests, w.requests);
      assert.equal(w.apps[0].requests, w.requests);
      if (w.requests) assert.ok(w.avg_rt > 0 && w.running_time >= w.avg_rt, `avg_rt ${w.avg_rt} running_time ${w.running_time}`);
    }
    assert.deepEqual(ours.sockets, [{ name: `127.0.0.1:${mp}`, proto: "http", queue: 0, max_queue: 0, shared: 0, can_offload: 0 }]);
    assert.deepEqual({ ...ours.crons[0], next: 0, schedule: "" }, { ...ours.crons[0], minute: 5, hour: -1, day: -1, month: -1, week: -1, command: "/bin/true", unique: 1, legion: "", pid: -1, started_at: 0, next: 0, schedule: "" });
    assert.equal(ours.caches[0].blocks, 10);
    assert.equal(ours.spoolers[0].dir, join(dir, "mf"));
  } finally { await Promise.all([uw.stop(), mf.stop()]); }
}, 90000);
