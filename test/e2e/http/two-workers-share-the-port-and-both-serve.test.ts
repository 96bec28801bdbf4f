import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { alive, freePort, load, start, stats, until } from "../lib.ts";

test("two workers share the port, both serve, and the stats list them", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "--processes", "2", "--module", "examples/hello.ts", "--stats", `127.0.0.1:${sport}`]);
  try {
    await until(async () => (await stats(sport)).workers.every((w: any) => w.status === "idle"), 15000, "workers ready");
    // New connections each time so the kernel spreads them over both listeners.
    let ok = 0;
    for (let i = 0; i < 40; i++) {
      const r = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: "close" } });
      if ((await r.text()) === "ok") ok++;
    }
    const res = await load(`http://127.0.0.1:${port}/`, 2000, 16);
    assert.equal(res.failed, 0, res.errors.slice(0, 3).join("; "));
    assert.equal(ok, 40);
    const doc = await until(async () => {
      const d = await stats(sport);
      return d.workers.reduce((a: number, w: any) => a + w.requests, 0) >= 2040 ? d : null;
    }, 5000, "request counters");
    assert.equal(doc.workers.length, 2);
    for (const w of doc.workers) {
      assert.ok(alive(w.pid), `worker ${w.id} pid ${w.pid} is alive`);
      assert.ok(w.requests > 0, `worker ${w.id} served requests: ${w.requests}`);
    }
    assert.equal(typeof doc.version, "string");
    assert.equal(doc.pid, mf.pid);
  } finally {
    await mf.stop();
  }
}, 60000);
