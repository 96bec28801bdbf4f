// uWSGI's --spooler-external: one instance spools, another one runs the tasks.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { freePort, run, start, stats, tmp, until } from "../lib.ts";

test("tasks spooled by an instance with --spooler-external DIR run in the instance whose --spooler is DIR", async () => {
  const out = tmp("mf-ext-");
  const dir = join(out, "spool");
  mkdirSync(dir);
  const [port, sport] = [await freePort(), await freePort()];
  const runner = start(["--spooler", dir, "--spooler-frequency", "1", "--import", "test/fixtures/spooler/tasks.ts", "--stats", `127.0.0.1:${sport}`], { env: { OUT: out } });
  const producer = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/spooler/app.ts", "--import", "test/fixtures/spooler/tasks.ts", "--spooler-external", dir], { env: { OUT: out } });
  const done = () => existsSync(join(out, "done.log")) ? readFileSync(join(out, "done.log"), "utf8").trim().split("\n").filter(Boolean) : [];
  try {
    const runnerPid = await until(async () => (await stats(sport).catch(() => null))?.spoolers[0]?.pid, 20000, "the runner's spooler");
    const r = await until(async () => { try { return await (await fetch(`http://127.0.0.1:${port}/enqueue?n=4`)).json(); } catch { return null; } }, 20000, "the producer");
    assert.deepEqual(r, { ok: 4 });
    await until(() => done().length === 4, 10000, "the 4 tasks ran");
    assert.ok(done().every((l) => Number(l.split(" ")[1]) === runnerPid), done().join("; "));
  } finally { await Promise.all([producer.stop(), runner.stop()]); }
  const bad = await run(["--mules", "1", "--spooler-external", join(out, "nope")]);
  assert.equal(bad.code, 2);
  assert.match(bad.output, /--spooler-external must be an existing directory .*nope/);
}, 60000);
