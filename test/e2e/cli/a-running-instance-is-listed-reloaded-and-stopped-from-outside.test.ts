// PM2's ls/reload/stop and uWSGI's --reload/--stop PIDFILE, against a real
// running instance.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, run, start, stats, tmp, until } from "../lib.ts";

test("mulefarm status lists the processes, reload --stats and --reload PIDFILE replace the workers, --stop PIDFILE ends the instance", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const pidfile = `${tmp("mf-pid-")}.pid`;
  const mf = start(["--http", `127.0.0.1:${port}`, "-p", "2", "--module", "examples/hello.ts", "--mules", "1", "--pidfile", pidfile, "--stats", `127.0.0.1:${sport}`]);
  const workers = async () => (await stats(sport)).workers.map((w: any) => w.pid);
  const ready = async () => { const d = await stats(sport).catch(() => null); return d && [...d.workers, ...d.mules].every((x: any) => x.status === "idle" && x.pid > 0); };
  try {
    await until(ready, 20000, "ready");
    const st = await run(["status", "--stats", `127.0.0.1:${sport}`]);
    assert.equal(st.code, 0, st.output);
    const rows = st.output.trim().split("\n");
    assert.match(rows[0], /^ROLE\s+ID\s+PID\s+STATUS/);
    assert.equal(rows.filter((r) => /^worker\s/.test(r)).length, 2, st.output);
    assert.equal(rows.filter((r) => /^mule\s/.test(r)).length, 1, st.output);
    assert.match(rows[1], new RegExp(`^master\\s+-\\s+${mf.pid}\\s`));
    assert.match(rows[0], /\sRESPAWNS\s+UPTIME\s+RSS MB\s+DONE$/);
    assert.match(rows[1], /\srunning\s+-\s+\d+s\s+\d+\.\d\s+-$/, "the master's uptime and memory");
    assert.ok(rows.some((r) => /^worker\s.*\s\d+ requests$/.test(r)), st.output);

    const w0 = await workers();
    const r1 = await run(["reload", "--stats", `127.0.0.1:${sport}`]);
    assert.equal(r1.code, 0, r1.output);
    await until(async () => (await workers()).every((p: number) => p > 0 && !w0.includes(p)) && await ready(), 15000, "workers replaced (reload --stats)");

    const w1 = await workers();
    const r2 = await run(["--reload", pidfile]);
    assert.equal(r2.code, 0, r2.output);
    assert.match(r2.output, new RegExp(`sent SIGHUP to the master \\(pid ${mf.pid}\\)`));
    await until(async () => (await workers()).every((p: number) => p > 0 && !w1.includes(p)) && await ready(), 15000, "workers replaced (--reload PIDFILE)");

    const r3 = await run(["--stop", pidfile]);
    assert.equal(r3.code, 0, r3.output);
    assert.equal((await mf.exited).code, 0);
    const gone = await run(["--stop", pidfile]);
    assert.equal(gone.code, 2, "the master removed its pid file");
    assert.match(gone.output, /--stop: cannot read pid file .*ENOENT/);
  } finally { await mf.stop(); }
}, 60000);
