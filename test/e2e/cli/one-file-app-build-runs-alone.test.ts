import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { freePort, run, RUNTIME, stats, tmp, until } from "../lib.ts";

test("mulefarm build --ini examples/app.ini -o myapp: copied alone into an empty directory and run with an empty environment, it serves the app with its mules and spooler", async () => {
  const dir = tmp();
  const out = join(dir, "build", "myapp");
  mkdirSync(join(dir, "build"));
  const b = await run(["build", "--ini", "examples/app.ini", "-o", out], { timeoutMs: 120000 });
  if (RUNTIME === "deno") {
    // Deno cannot compile here (no denort); the build needs Bun and says so.
    assert.equal(b.code, 2, b.output);
    assert.match(b.output, /build needs the Bun runtime/);
    return;
  }
  assert.equal(b.code, 0, b.output);
  const alone = join(dir, "alone");
  mkdirSync(alone);
  copyFileSync(out, join(alone, "myapp"));
  const [port, sport] = [await freePort(), await freePort()];
  // Options on its command line still override the embedded ini.
  const app = spawn("./myapp", ["--http", `127.0.0.1:${port}`, "--stats", `127.0.0.1:${sport}`], { cwd: alone, env: { PATH: "/usr/bin:/bin" }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  app.stdout!.on("data", (d) => (log += d));
  app.stderr!.on("data", (d) => (log += d));
  try {
    const d = await until(async () => { if (app.exitCode !== null) throw new Error(`the app exited (${app.exitCode}): ${log}`); const x = await stats(sport); return [...x.workers, ...x.mules].every((w: any) => w.status === "idle") && x.spoolers[0]?.pid ? x : null; }, 30000, "app ready");
    assert.equal(d.workers.length, 2);
    assert.equal(d.mules.length, 3);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/msg?text=hi`)).text(), "sent to mule 1\n");
    assert.match(await (await fetch(`http://127.0.0.1:${port}/thumb?file=a.png`)).text(), /^task .* queued/);
    const c = await until(async () => { const j = await (await fetch(`http://127.0.0.1:${port}/counters`)).json(); return j.thumbnails >= 1 && j.messages >= 1 ? j : null; }, 10000, "counters");
    assert.deepEqual(c, { messages: 1, thumbnails: 1 });
    await until(() => /\[spooler 1\] thumbnail made for a\.png/.test(log), 5000, "the spooler log line");
  } finally {
    // An app that could not start has exited already: waiting for "exit" would hang the test.
    if (app.exitCode === null && app.signalCode === null) {
      const exited = new Promise((r) => app.once("exit", r));
      app.kill("SIGTERM");
      await exited;
    }
  }
}, 180000);
