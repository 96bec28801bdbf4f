import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { freePort, start, stats, tmp, until } from "../lib.ts";

test("plugin hooks: onSpawn/onExit see children, onLog sees log lines, onSignal takes a signal, onTask runs a spool task", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/plugins-e2e/app.ts", "--spooler", join(tmp(), "spool"), "--plugin", "test/fixtures/plugins-e2e/observer.ts", "--grant", "obs:log", "--stats", `127.0.0.1:${sport}`]);
  try {
    const d = await until(async () => { const x = await stats(sport); return x.workers[0].status === "idle" && x.spoolers[0].pid ? x : null; }, 20000, "ready");
    await mf.waitFor(/\[plugin obs\] spawned worker 1/);
    await mf.waitFor(/\[plugin obs\] spawned spooler 1/);
    await fetch(`http://127.0.0.1:${port}/magic`);
    await mf.waitFor(/\[plugin obs\] saw the magic word/);
    await fetch(`http://127.0.0.1:${port}/signal`);
    await mf.waitFor(/\[plugin obs\] signal 55/);
    assert.ok(!/signal 55 .*no registered handler/.test(mf.output()), "a plugin-handled signal is not reported as lost");
    await fetch(`http://127.0.0.1:${port}/task`);
    await mf.waitFor(/\[plugin obs\] task x=7/);
    process.kill(d.workers[0].pid, "SIGKILL");
    await mf.waitFor(/\[plugin obs\] exit worker 1 SIGKILL/);
  } finally { await mf.stop(); }
}, 40000);
