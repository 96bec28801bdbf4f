// errorFromCode rebuilds an error that crossed a process boundary (a reply to
// a request, RPC between instances) from its code. It knows every class
// because each registers itself; this checks that none was left out and that
// no error class lives outside core/errors.ts, where it could go unloaded.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import * as errors from "../../../core/errors.ts";
import { ROOT, sources } from "../architecture/support/source-text.ts";

type ErrorClass = { code: string; new (...a: any[]): Error };
const classes = Object.values(errors).filter((v): v is ErrorClass => typeof v === "function" && v.prototype instanceof Error && typeof (v as any).code === "string");

test("every error class of core/errors.ts comes back from errorFromCode as itself, with its code and message", () => {
  assert.ok(classes.length >= 29, `found ${classes.length} classes`);
  assert.deepEqual(classes.map((C) => C.code).sort(), errors.registeredErrorCodes().sort());
  for (const C of classes) {
    const e = errors.errorFromCode(C.code, "the rule: got 1") as Error & { code?: string; exitCode?: number };
    assert.ok(e instanceof C, `${C.code} came back as ${e.constructor.name}`);
    assert.equal(e.code, C.code);
    assert.equal(e.name, C.code);
    if (e instanceof errors.MulefarmError) {
      assert.equal(e.message, "the rule: got 1");
      assert.equal(e.exitCode, new C("x").exitCode, `${C.code} keeps its exit code`);
    }
  }
  assert.equal((errors.errorFromCode("UsageError", "m") as errors.UsageError).exitCode, 2);
});

test("no error class is defined outside core/errors.ts", () => {
  const found: string[] = [];
  for (const rel of sources("core", "cmd", "plugins", "embed")) {
    if (rel === join("core", "errors.ts")) continue;
    for (const m of readFileSync(join(ROOT, rel), "utf8").matchAll(/class (\w+) extends (\w+)/g)) {
      if (classes.some((C) => C.name === m[2] || C.code === m[2])) found.push(`${rel}: ${m[1]} extends ${m[2]}`);
    }
  }
  assert.deepEqual(found, []);
});
