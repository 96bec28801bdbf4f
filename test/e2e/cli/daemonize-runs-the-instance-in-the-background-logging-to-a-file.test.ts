// uWSGI's --daemonize FILE: the command returns at once, the instance keeps
// running in its own session and logs to FILE; --stop PIDFILE ends it.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { alive, freePort, run, tmp, until } from "../lib.ts";

test("--daemonize returns at once, the instance serves in its own session and logs to the file; --stop PIDFILE ends it", async () => {
  const port = await freePort();
  const base = tmp("mf-daemon-");
  const [log, pidfile] = [`${base}.log`, `${base}.pid`];
  let pid = 0;
  try {
    const r = await run(["--daemonize", log, "--pidfile", pidfile, "--http", `127.0.0.1:${port}`, "--module", "examples/hello.ts"]);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /running in the background \(master pid \d+\), logging to /);
    pid = await until(() => (existsSync(pidfile) ? Number(readFileSync(pidfile, "utf8")) : 0), 20000, "the pid file");
    await until(async () => { try { return (await fetch(`http://127.0.0.1:${port}/`)).ok; } catch { return false; } }, 20000, "the background instance serves");
    assert.match(readFileSync(log, "utf8"), /\[master\] spawned worker 1/);
    const sid = Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[3]);
    assert.equal(sid, pid, "the master leads a session of its own");
    const stop = await run(["--stop", pidfile]);
    assert.equal(stop.code, 0, stop.output);
    await until(() => !alive(pid), 15000, "the instance stopped");
    assert.match(readFileSync(log, "utf8"), /goodbye/);
  } finally { if (pid && alive(pid)) process.kill(pid, "SIGKILL"); }
}, 60000);
