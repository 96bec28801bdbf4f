// Subcommands given a wrong directory, an extra argument or an unknown task:
// `types` into a file's path was an internal error and `types DIR` made the
// directory when missing; `spool retry DIR ID` of an unknown id printed
// "0 failed task(s) queued again"; `build -o` into a missing directory
// failed inside the bundler (or made the directory).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { RUNTIME, run, tmp } from "../lib.ts";

test("types refuses a missing directory, a file and a second argument with one line", async () => {
  const dir = tmp();
  writeFileSync(join(dir, "afile"), "x");
  for (const [args, line] of [
    [["types", join(dir, "nodir")], `mulefarm: types: not a directory: ${join(dir, "nodir")}`],
    [["types", join(dir, "afile")], `mulefarm: types: not a directory: ${join(dir, "afile")}`],
    [["types", dir, "extra"], 'mulefarm: types: unexpected argument "extra" (usage: mulefarm types [DIR])'],
  ] as const) {
    const r = await run([...args]);
    assert.equal(r.code, 2, r.output);
    assert.equal(r.output.trim(), line);
  }
  assert.ok(!existsSync(join(dir, "nodir")));
});

test("spool retry of an unknown id exits 1 saying so; spool show without an id exits 2", async () => {
  const dir = tmp();
  mkdirSync(join(dir, "spool"));
  const r = await run(["spool", "retry", join(dir, "spool"), "nope-id"]);
  assert.equal(r.code, 1, r.output);
  assert.equal(r.output.trim(), `mulefarm: no failed task nope-id in ${join(dir, "spool")}`);
  const s = await run(["spool", "show", join(dir, "spool")]);
  assert.equal(s.code, 2, s.output);
  assert.match(s.output.trim(), /^mulefarm: spool show: give a spool directory and a task id \(usage: /);
});

test("build -o into a directory that does not exist exits 2 with one line and creates nothing", async () => {
  const dir = tmp();
  writeFileSync(join(dir, "app.ini"), "[uwsgi]\nmules = 1\n");
  const r = await run(["build", "--ini", join(dir, "app.ini"), "-o", join(dir, "no", "dir", "app")], { timeoutMs: 60000 });
  assert.equal(r.code, 2, r.output);
  assert.equal(r.output.trim(), RUNTIME === "deno"
    ? "mulefarm: build needs the Bun runtime: use dist/mulefarm build (Deno cannot compile executables here)"
    : `mulefarm: build: cannot write ${join(dir, "no", "dir", "app")}: ${join(dir, "no", "dir")} is not a directory`);
  assert.ok(!existsSync(join(dir, "no")));
}, 90000);
