// uWSGI's --spooler-import (--spooler-python-import), --shared-import,
// --spooler-chdir and --spooler-signal-as-task (2.1), and options accepted
// with a note (--check-interval, --forkbomb-delay) or without (--stats-minified).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { freePort, stats, tmp, start, until } from "../lib.ts";

test("--spooler-import loads only in spoolers, --spooler-chdir is each task's directory, --spooler-signal-as-task recycles after max-tasks signals", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const out = tmp("mf-spopt-");
  const work = join(out, "work");
  mkdirSync(work);
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/spooler/options-app.ts", "--shared-import", "test/fixtures/spooler/options-tasks.ts",
    "--spooler", join(out, "spool"), "--spooler-python-import", "test/fixtures/spooler/only-in-spoolers.ts", "--spooler-chdir", work,
    "--spooler-max-tasks", "2", "--spooler-signal-as-task", "--stats-minified", "--check-interval", "5", "--stats", `127.0.0.1:${sport}`], { env: { OUT: out } });
  const lines = (f: string) => existsSync(join(out, f)) ? readFileSync(join(out, f), "utf8").trim().split("\n").filter(Boolean) : [];
  const get = (p: string) => fetch(`http://127.0.0.1:${port}${p}`).then((r) => r.text());
  try {
    await until(async () => { const d = await stats(sport).catch(() => null); return d && d.workers[0].status === "idle" && d.spoolers[0].pid > 0; }, 20000, "ready");
    // The spooler's pid is in the stats once it is spawned, before it has loaded its modules.
    await until(() => lines("imports.log").length > 0, 10000, "the spooler loaded its --spooler-import");
    assert.deepEqual(lines("imports.log").map((l) => l.split(" ")[0]), ["spooler"], "loaded in the spooler only");
    assert.match(mf.output(), /--check-interval 5: ignored \(the master reacts to events, it has no check cycle\)/);

    await get("/cwd");
    await until(() => lines("cwd.log").length === 1, 10000, "the task ran");
    assert.equal(realpathSync(lines("cwd.log")[0]), realpathSync(work));

    // One task done, then one handled signal: two "tasks" for --spooler-max-tasks 2, so the spooler is recycled.
    const pid = (await stats(sport)).spoolers[0].pid;
    await get("/raise");
    await until(() => lines("sig41.log").length === 1, 10000, "the signal handled");
    await until(async () => { const p = (await stats(sport)).spoolers[0].pid; return p > 0 && p !== pid; }, 10000, "the spooler recycled");
    assert.match(mf.output(), /maximum number of tasks reached \(2\): recycling this spooler/);
  } finally { await mf.stop(); }
}, 60000);
