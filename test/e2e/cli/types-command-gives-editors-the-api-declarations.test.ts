import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { FIX, ROOT, run, tmp } from "../lib.ts";

test("mulefarm types writes declarations that type-check user code importing mulefarm and mulefarm/uwsgi", async () => {
  const dir = tmp();
  const r = await run(["types", dir]);
  assert.equal(r.code, 0, r.output);
  copyFileSync(join(FIX, "types/app.ts"), join(dir, "app.ts"));
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ extends: "./.mulefarm/tsconfig.json", compilerOptions: { strict: true, noEmit: true, module: "esnext", moduleResolution: "bundler", target: "es2022", skipLibCheck: true, types: [] }, files: ["app.ts"] }));
  const tsc = spawnSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8", cwd: dir });
  // The fixture's last line assigns mule_id() (a number) to a string on purpose: the one error proves the types are real.
  assert.equal(tsc.stdout.trim(), "app.ts(9,7): error TS2322: Type 'number' is not assignable to type 'string'.");
}, 60000);
