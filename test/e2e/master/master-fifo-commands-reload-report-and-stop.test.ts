// uWSGI's --master-fifo: `echo w > FIFO` and friends.
import assert from "node:assert/strict";
import { existsSync, lstatSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { freePort, stats, start, tmp, until } from "../lib.ts";

test("writing s, w and q into --master-fifo logs the stats, reloads the workers and stops the instance", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const fifo = join(tmp("mf-fifo-"), "master.fifo");
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "examples/hello.ts", "--master-fifo", fifo, "--stats", `127.0.0.1:${sport}`]);
  try {
    await until(async () => (await stats(sport).catch(() => null))?.workers[0].status === "idle", 20000, "ready");
    assert.ok(lstatSync(fifo).isFIFO());
    writeFileSync(fifo, "s\n");
    await mf.waitFor(/\[master\] stats \{"version"/, 5000);
    const before = (await stats(sport)).workers[0].pid;
    writeFileSync(fifo, "w");
    await until(async () => { const w = (await stats(sport)).workers[0]; return w.pid !== before && w.status === "idle"; }, 15000, "the worker replaced");
    writeFileSync(fifo, "x");
    await mf.waitFor(/master FIFO: unknown command "x"/, 5000);
    writeFileSync(fifo, "q");
    assert.equal((await mf.exited).code, 0);
    assert.ok(!existsSync(fifo), "the FIFO is removed on stop");
  } finally { await mf.stop(); }
}, 40000);

test("--master-fifo on a path that is a regular file exits 2 naming it", async () => {
  const f = join(tmp("mf-fifo-"), "plain");
  writeFileSync(f, "keep me");
  const mf = start(["--mules", "1", "--master-fifo", f]);
  const r = await mf.exited;
  assert.equal(r.code, 2);
  assert.match(mf.output(), /--master-fifo .*plain: the path exists and is not a FIFO/);
  assert.ok(existsSync(f));
});

test("with --exit-on-reload a reload (here r into the FIFO) stops the instance with exit 0", async () => {
  const sport = await freePort();
  const fifo = join(tmp("mf-fifo-"), "master.fifo");
  const mf = start(["--mules", "1", "--exit-on-reload", "--master-fifo", fifo, "--stats", `127.0.0.1:${sport}`]);
  try {
    await until(async () => (await stats(sport).catch(() => null))?.mules[0].status === "idle", 20000, "ready");
    writeFileSync(fifo, "r");
    assert.equal((await mf.exited).code, 0);
    assert.match(mf.output(), /reload requested: exiting \(--exit-on-reload\)/);
  } finally { await mf.stop(); }
}, 30000);
