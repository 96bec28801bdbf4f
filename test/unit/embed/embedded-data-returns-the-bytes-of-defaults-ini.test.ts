import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { EMBEDDED_NAMES, EmbeddedFileNotFound, embeddedData, embeddedSource } from "../../../embed/index.ts";

const EMBED = new URL("../../../embed/", import.meta.url).pathname;

test("embeddedData returns the bytes of embed/defaults.ini; an unknown name is a named error listing the names", async () => {
  const bytes = embeddedData("defaults.ini");
  assert.ok(bytes instanceof Uint8Array);
  assert.deepEqual([...bytes], [...readFileSync(EMBED + "defaults.ini")]);
  const text = new TextDecoder().decode(bytes);
  assert.match(text, /^\[mulefarm\]$/m);
  assert.match(text, /^http = 127\.0\.0\.1:8080$/m);
  assert.match(text, /^processes = 2$/m);
  assert.match(text, /^module = examples\/app\.ts$/m);
  assert.equal(embeddedSource(), (globalThis as any).Bun ? "binary" : "disk");
  for (const name of EMBEDDED_NAMES) assert.ok(embeddedData(name).byteLength > 0, name);
  assert.throws(() => embeddedData("nope.txt"), (e: Error) => {
    assert.ok(e instanceof EmbeddedFileNotFound);
    assert.equal(e.message, `no embedded file named "nope.txt" (available: ${EMBEDDED_NAMES.join(", ")})`);
    return true;
  });
  // the Bun adapter embeds exactly EMBEDDED_NAMES
  const src = readFileSync(new URL("../../../core/adapter/bun/embedded-files.ts", import.meta.url).pathname, "utf8");
  const keys = [...src.matchAll(/^\s+"([^"]+)": /gm)].map((m) => m[1]).sort();
  assert.deepEqual(keys, [...EMBEDDED_NAMES].sort());
});
