import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, start, stats, until } from "../lib.ts";

for (const path of ["/slow", "/block"]) {
  test(`--harakiri 1 kills the worker stuck on ${path}, logs the request, and the next request is served`, async () => {
    const [port, sport] = [await freePort(), await freePort()];
    const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/slow-app.ts", "--harakiri", "1", "--stats", `127.0.0.1:${sport}`]);
    try {
      const before = await until(async () => { const d = await stats(sport); return d.workers[0].status === "idle" ? d : null; }, 15000, "ready");
      const t0 = Date.now();
      const r = await fetch(`http://127.0.0.1:${port}${path}`).then((x) => x.status, () => "closed");
      assert.ok(r === "closed" || r === 502, `client got ${r}`);
      assert.ok(Date.now() - t0 < 2900, `killed before the handler finished (${Date.now() - t0} ms)`);
      await mf.waitFor(new RegExp(`HARAKIRI .*"role":"worker","id":1.*"doing":"GET \\${path}"`));
      const after = await until(async () => { const d = await stats(sport); const w = d.workers[0]; return w.pid !== before.workers[0].pid && w.status === "idle" ? d : null; }, 5000, "respawn");
      assert.equal(after.workers[0].harakiri_count, 1);
      assert.match(await (await fetch(`http://127.0.0.1:${port}/`)).text(), /^done \//);
    } finally { await mf.stop(); }
  }, 30000);
}
