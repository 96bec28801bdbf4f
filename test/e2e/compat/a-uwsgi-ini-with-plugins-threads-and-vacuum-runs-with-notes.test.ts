// A typical uWSGI ini (plugins, threads, vacuum, die-on-term, ...) runs
// unchanged: what mulefarm does anyway is accepted, what it cannot do is
// one note each at start.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, start, tmp, until } from "../lib.ts";

test("an ini ported from uWSGI with plugins = python3,http, threads, vacuum and die-on-term serves, with one note per ignored setting", async () => {
  const port = await freePort();
  const ini = `${tmp("mf-ported-")}.ini`;
  writeFileSync(ini, [
    "[uwsgi]", "plugins = python3,http", "master = true", "processes = 2", "threads = 4", "enable-threads = true",
    "vacuum = true", "die-on-term = true", "lazy-apps = true", "buffer-size = 32768", "cheaper = 1", "mule-reload-mercy = 30", "spooler-quiet = true", `http-socket = 127.0.0.1:${port}`, `wsgi-file = ${process.cwd()}/examples/hello.ts`, "",
  ].join("\n"));
  const mf = start(["--ini", ini]);
  try {
    await until(async () => { try { return (await fetch(`http://127.0.0.1:${port}/`)).ok; } catch { return false; } }, 20000, "serving");
    const out = mf.output();
    assert.match(out, /--plugin python3: a uWSGI plugin name, not a mulefarm plugin file: ignored/);
    assert.match(out, /--plugin http: a uWSGI plugin name/);
    assert.match(out, /--threads 4: ignored \(each worker is one event loop/);
    assert.match(out, /--buffer-size 32768: ignored/);
    assert.match(out, /--cheaper 1: ignored \(all --processes workers run all the time/);
    assert.match(out, /--mule-reload-mercy 30: ignored \(--reload-mercy applies to every process\)/);
    assert.doesNotMatch(out, /vacuum|die-on-term|lazy-apps|enable-threads|spooler-quiet/, "settings mulefarm follows anyway pass silently");
  } finally { await mf.stop(); }
}, 30000);
