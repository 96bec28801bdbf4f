// One runtime seam: core/adapter/ answers "which runtime runs this" and holds
// every runtime-specific file. Elsewhere the code (comments and strings left
// out) names neither Bun nor Deno.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { code, ROOT, sources } from "./support/source-text.ts";

test("outside core/adapter/ no code names Bun or Deno", () => {
  const files = [...sources("cmd", "core", "plugins", "embed"), "build.ts"].filter((f) => !f.startsWith(join("core", "adapter") + "/"));
  assert.ok(files.length > 100, `read the sources: got ${files.length}`);
  const naming = files.filter((f) => /\b(Bun|Deno)\b/.test(code(readFileSync(join(ROOT, f), "utf8"), true)));
  assert.deepEqual(naming, []);
});
