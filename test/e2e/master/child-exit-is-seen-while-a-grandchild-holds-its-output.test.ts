import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { until } from "../lib.ts";
import { startWith } from "../mule-lib.ts";

test("a mule that exits while a background grandchild keeps its stdout open is seen dead and respawned within 2 s", async () => {
  const { mf, out } = startWith(["--mule=test/fixtures/mules/orphan-holds-stdout.ts"]);
  let sleeper = 0;
  try {
    await until(() => { try { return (sleeper = Number(readFileSync(`${out}/sleeper`, "utf8"))); } catch { return 0; } }, 20000, "the mule started its sleeper");
    const t0 = Date.now();
    await until(() => /mule 1 \(pid \d+\) exited with code 3/.test(mf.output()), 5000, "the exit logged");
    await until(() => /spawned mule 1 \(pid \d+\)[\s\S]*spawned mule 1/.test(mf.output()), 5000, "a respawn");
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
  } finally {
    await mf.stop();
    try { process.kill(sleeper, "SIGKILL"); } catch { /* gone */ }
  }
}, 40000);
