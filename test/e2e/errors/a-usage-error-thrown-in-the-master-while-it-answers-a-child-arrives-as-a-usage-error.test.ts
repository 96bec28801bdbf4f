import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, start, stats, until } from "../lib.ts";

test("a UsageError thrown in the master while it answers a worker's request reaches the worker as a UsageError with its code", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/errors/master-refuses-app.ts", "--stats", `127.0.0.1:${sport}`]);
  try {
    await until(async () => (await stats(sport)).workers[0].status === "idle", 15000, "worker ready");
    const r = await (await fetch(`http://127.0.0.1:${port}/`)).json();
    assert.deepEqual(r, {
      usageError: true,
      mulefarmError: true,
      name: "UsageError",
      code: "UsageError",
      exitCode: 2,
      message: `file monitor path does not exist: /proc/self/task/${r.pid}`,
      pid: r.pid,
    });
    assert.equal((await stats(sport)).pid, mf.pid, "the master lives on");
  } finally {
    await mf.stop();
  }
});
