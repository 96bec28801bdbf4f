import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { UsageError } from "../../../core/errors.ts";
import { loadPlugin } from "../../../plugins/sandbox/index.ts";

const FIX = new URL("../../fixtures/plugins/", import.meta.url).pathname;

test("a malformed manifest is a UsageError (exit 2) naming file, field, rule and value", async () => {
  await assert.rejects(loadPlugin(FIX + "bad-manifest.ts", { grants: [], host: {} }), (e: Error) => {
    assert.ok(e instanceof UsageError, `expected UsageError, got ${e.name}: ${e.message}`);
    assert.equal((e as UsageError).exitCode, 2);
    assert.equal(e.message, `plugin ${FIX}bad-manifest.ts: manifest.version must be a non-empty string of at most 64 characters: got 1`);
    return true;
  });

  const dir = mkdtempSync(join(tmpdir(), "mulefarm-manifest-"));
  try {
    const cases: [string, RegExp][] = [
      [`export function onTask() {}`, /manifest must be an exported object \{ name, version, capabilities, hooks \}: got undefined/],
      [`export const manifest = { name: "x y", version: "1", capabilities: [], hooks: [] };`, /manifest\.name must be a name .*: got "x y"/],
      [`export const manifest = { name: "x", version: "1", capabilities: ["net"], hooks: [] };`, /manifest\.capabilities\[0\] must be one of log, signal, mule, cache, spool, fetch:HOST, fs:read:DIR, env:NAME: got "net"/],
      [`export const manifest = { name: "x", version: "1", capabilities: [], hooks: ["onBoot"] };`, /manifest\.hooks\[0\] must be one of onRequest, .*: got "onBoot"/],
      [`export const manifest = { name: "x", version: "1", capabilities: [], hooks: ["onTask"] };`, /manifest\.hooks\[0\] must be a hook the plugin exports as a function .*: got "onTask"/],
      [`export const manifest = { name: "x", version: "1", capabilities: [], hooks: [], extra: 1 };`, /manifest\.extra is not a manifest field/],
      [`export const manifest = { name: "cache", version: "1", capabilities: [], hooks: [] };`, /manifest\.name must be a name that is not a capability kind/],
      [`export const manifest = = 1;`, /TypeScript syntax error|failed to load/],
    ];
    for (const [i, [src, re]] of cases.entries()) {
      const f = join(dir, `m${i}.ts`);
      writeFileSync(f, src);
      await assert.rejects(loadPlugin(f, { grants: [], host: {} }), (e: Error) => {
        assert.ok(e instanceof UsageError, `case ${i}: expected UsageError, got ${e.name}: ${e.message}`);
        assert.match(e.message, re, `case ${i}`);
        assert.ok(e.message.startsWith(`plugin ${f}`), `case ${i} names the file: ${e.message}`);
        return true;
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
