// uWSGI's --logto FILE and --log-reopen: the whole instance's log in one
// file (the master, relayed child output, cron commands), reopened on reload
// so logrotate can move it away.
import assert from "node:assert/strict";
import { existsSync, readFileSync, renameSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, start, tmp, until } from "../lib.ts";

test("--logto collects the master's, a worker's and a cron command's lines; after logrotate moves it, a reload with --log-reopen writes a new file", async () => {
  const port = await freePort();
  const file = `${tmp("mf-logto-")}.log`;
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "examples/hello.ts", "--log-requests", "--logto", file, "--log-reopen", "--cron", "* * * * * * echo cron-tick-$$"]);
  const text = (f = file) => (existsSync(f) ? readFileSync(f, "utf8") : "");
  try {
    await until(() => /\[master\] spawned worker 1/.test(text()), 20000, "the master's lines in the file");
    await until(async () => { try { return (await fetch(`http://127.0.0.1:${port}/logged`)).ok; } catch { return false; } }, 10000, "HTTP up");
    await until(() => /\[worker 1\] .*\/logged/.test(text()) && /cron-tick-\d+/.test(text()), 10000, "a worker's request line and a cron command's output in the file");
    assert.doesNotMatch(mf.output(), /spawned worker|cron-tick/, "nothing of it on the terminal");

    renameSync(file, `${file}.1`); // what logrotate does
    mf.proc.kill("SIGHUP");
    await until(() => /graceful reload/.test(text()), 10000, "the reload's lines in a new file");
    assert.match(text(`${file}.1`), /spawned worker 1/, "the old lines stay in the rotated file");
  } finally { await mf.stop(); }
}, 45000);
