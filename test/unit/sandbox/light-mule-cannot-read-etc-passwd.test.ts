import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { createLightMule } from "../../../plugins/sandbox/index.ts";

test("a light mule without fs:read cannot read /etc/passwd; it reports the CapabilityDenied through the cache", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mulefarm-mule-"));
  const file = join(dir, "m.ts");
  writeFileSync(file, `
    for await (const path of Mule.messages()) {
      let out: string;
      try { out = "read " + (await fs.readFile(String(path), "utf8")).length; } catch (e: any) { out = e.name + ": " + e.message; }
      await cache.set("result", out);
    }`);
  let got!: (v: unknown) => void;
  const result = new Promise((r) => (got = r));
  const m = await createLightMule(file, { id: 9, grants: ["cache"], host: { cacheSet: (_s, _k, v) => got(v) } });
  try {
    m.deliver("/etc/passwd");
    const v = String(await result);
    assert.match(v, /^CapabilityDenied: mule 9 has no "fs:read:DIR" capability/);
  } finally {
    m.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
