import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, load, start, stats, until } from "../lib.ts";

test("a SIGKILLed worker is respawned within 3 s and HTTP keeps answering", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "-p", "2", "--module", "examples/hello.ts", "--stats", `127.0.0.1:${sport}`]);
  try {
    const before = await until(async () => { const d = await stats(sport); return d.workers.every((w: any) => w.status === "idle") ? d : null; }, 15000, "ready");
    const victim = before.workers[0];
    process.kill(victim.pid, "SIGKILL");
    const t0 = Date.now();
    const after = await until(async () => {
      const d = await stats(sport);
      const w = d.workers.find((x: any) => x.id === victim.id);
      return w.pid !== victim.pid && w.status === "idle" ? d : null;
    }, 3000, "respawn");
    assert.ok(Date.now() - t0 < 3000);
    const w = after.workers.find((x: any) => x.id === victim.id);
    assert.equal(w.respawn_count, 1);
    assert.match(mf.output(), new RegExp(`worker ${victim.id} \\(pid ${victim.pid}\\) killed by SIGKILL`));
    const res = await load(`http://127.0.0.1:${port}/`, 200, 4);
    assert.equal(res.failed, 0);
  } finally {
    await mf.stop();
  }
}, 60000);
