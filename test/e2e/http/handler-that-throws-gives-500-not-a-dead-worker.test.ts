import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, start, stats, until } from "../lib.ts";

test("a handler that throws gives a 500 and a log line, and the worker lives", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "examples/hello.ts", "--stats", `127.0.0.1:${sport}`]);
  try {
    const d = await until(async () => { const x = await stats(sport); return x.workers[0].status === "idle" ? x : null; }, 15000, "ready");
    const r = await fetch(`http://127.0.0.1:${port}/boom`);
    assert.equal(r.status, 500);
    await mf.waitFor(/\[worker 1\] error in GET \/boom: Error: boom on purpose/);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), "ok");
    const after = await until(async () => { const x = await stats(sport); return x.workers[0].exceptions === 1 ? x : null; }, 3000, "exception counter");
    assert.equal(after.workers[0].pid, d.workers[0].pid);
  } finally {
    await mf.stop();
  }
});
