// Signals are not lost when an instance is away for a moment: B is stopped
// (SIGSTOP) and its stream connection killed; what A raises meanwhile runs in
// B once it is back, in order, once.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { sleep, until } from "../lib.ts";
import { twoInstances } from "./two-instances.ts";

test("cluster signals raised while instance B is away (stopped, its connection killed) run in B once it is back", async () => {
  const p = await twoInstances();
  const lines = (who: string) => (existsSync(`${p.out}/signals.log`) ? readFileSync(`${p.out}/signals.log`, "utf8").split("\n").filter((l) => l === who).length : 0);
  try {
    process.kill(p.b.pid, "SIGSTOP");
    try {
      const { openRedis } = await import("../../../core/redis/client.ts");
      const { parseRedisUrl } = await import("../../../core/redis/url.ts");
      const c = await openRedis(parseRedisUrl(p.redis.url));
      await c.run(5_000, (r) => r.call("CLIENT", "KILL", "USER", "default", "SKIPME", "yes"));
      await c.close();
      for (let k = 0; k < 3; k++) assert.equal(await p.get("a", "/raise/17"), "raised");
      await until(() => lines("A") === 3, 10_000, "A ran its three");
      await sleep(3_000);
      assert.equal(lines("B"), 0, "B is away");
    } finally {
      process.kill(p.b.pid, "SIGCONT");
    }
    await until(() => lines("B") === 3, 15_000, "B ran the three raised while it was away");
    await sleep(1_000);
    assert.equal(lines("B"), 3);
    assert.equal(lines("A"), 3);
  } finally {
    await p.stop();
  }
}, 90_000);
