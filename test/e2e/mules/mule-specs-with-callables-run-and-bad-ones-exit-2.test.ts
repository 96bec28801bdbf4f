import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { run } from "../lib.ts";
import { startWith, waitJson } from "../mule-lib.ts";
import { readFileSync } from "node:fs";
import { until } from "../lib.ts";

test("--mule=pkg.mod:main (dotted) and --mule=dir/mod.ts:main both run main in the mule", async () => {
  const { mf, out } = startWith(["--mule=test.fixtures.mules.pkg.mod:main", "--mule=test/fixtures/mules/jobs/mod.ts:main"]);
  try {
    const a = await until(() => { try { return readFileSync(`${out}/dotted-main.txt`, "utf8"); } catch { return null; } }, 15000, "dotted main");
    const b = await until(() => { try { return readFileSync(`${out}/path-main.txt`, "utf8"); } catch { return null; } }, 15000, "path main");
    assert.equal(a, "mule 1");
    assert.equal(b, "mule 2");
  } finally { await mf.stop(); }
}, 30000);

test("a missing mule file exits 2 naming it", async () => {
  const r = await run(["--mule=jobs/none.ts:main"]);
  assert.equal(r.code, 2);
  assert.match(r.output, /jobs\/none\.ts/);
});

test("a missing export exits 2 naming it", async () => {
  const r = await run(["--mule=test/fixtures/mules/jobs/mod.ts:nope"]);
  assert.equal(r.code, 2, r.output);
  assert.match(r.output, /has no export "nope"/);
  assert.match(r.output, /jobs\/mod\.ts/);
});
