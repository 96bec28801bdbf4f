import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, start, stats, until } from "../lib.ts";

test("SIGHUP under steady load replaces every worker and no request fails", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "-p", "2", "--module", "examples/hello.ts", "--stats", `127.0.0.1:${sport}`, "--reload-mercy", "5"]);
  try {
    const before = await until(async () => { const d = await stats(sport); return d.workers.every((w: any) => w.status === "idle") ? d : null; }, 15000, "ready");
    let running = true, ok = 0;
    const failures: string[] = [];
    const loops = Array.from({ length: 6 }, async () => {
      while (running) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/`);
          if ((await r.text()) === "ok") ok++; else failures.push(`status ${r.status}`);
        } catch (e) { failures.push(String(e)); }
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    process.kill(mf.pid, "SIGHUP");
    await mf.waitFor(/reload done/, 30000);
    await new Promise((r) => setTimeout(r, 300));
    running = false;
    await Promise.all(loops);
    const after = await stats(sport);
    for (const w of after.workers) {
      const old = before.workers.find((x: any) => x.id === w.id);
      assert.notEqual(w.pid, old.pid, `worker ${w.id} got a new pid`);
    }
    assert.deepEqual(failures, []);
    assert.ok(ok > 100, `requests served during the reload: ${ok}`);
  } finally {
    await mf.stop();
  }
}, 60000);
