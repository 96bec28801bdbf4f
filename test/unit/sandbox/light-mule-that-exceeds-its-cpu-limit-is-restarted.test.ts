import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { PluginLimitExceeded } from "../../../core/errors.ts";
import { createLightMule } from "../../../plugins/sandbox/index.ts";

test("a light mule whose message handling loops forever is stopped by its CPU limit, reported, and restarted with its queue kept", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mulefarm-mule-"));
  const file = join(dir, "m.ts");
  writeFileSync(file, `
    for await (const msg of Mule.messages()) {
      if (msg === "spin") while (true) {}
      await cache.set("echo", msg);
    }`);
  const errors: Error[] = [];
  const echoes: unknown[] = [];
  let got!: () => void;
  const echoed = new Promise<void>((r) => (got = r));
  const m = await createLightMule(file, {
    id: 4,
    grants: ["cache"],
    limits: { cpuMsPerCall: 50 },
    restartDelayMs: 10,
    host: { cacheSet: (_s, _k, v) => { echoes.push(v); got(); }, onError: (_s, e) => errors.push(e) },
  });
  try {
    m.deliver("spin");
    m.deliver("after");
    await echoed;
    assert.deepEqual(echoes, ["after"]);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof PluginLimitExceeded, `${errors[0]?.name}: ${errors[0]?.message}`);
    assert.match(errors[0].message, /^mule 4 .*exceeded its CPU limit of 50 ms$/);
    assert.equal(m.stats().restarts, 1);
  } finally {
    m.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
