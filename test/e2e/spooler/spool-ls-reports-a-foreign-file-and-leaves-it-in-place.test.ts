import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { run, tmp } from "../lib.ts";

test("spool ls names a file that is not a task and leaves it where it is", async () => {
  const dir = tmp("mf-spool-ls-");
  mkdirSync(join(dir, "running"), { recursive: true });
  const garbage = join(dir, "0000000000000_garbage.task");
  const stray = join(dir, "running", "notes.txt");
  writeFileSync(garbage, "not a task at all");
  writeFileSync(stray, "hello");
  const ls = await run(["spool", "ls", dir]);
  assert.equal(ls.code, 0, ls.output);
  assert.match(ls.output, /not a task file, left in place .*garbage\.task/);
  assert.match(ls.output, /not a task file, left in place .*notes\.txt: unexpected file name in running\//);
  assert.match(ls.output, /0 pending, 0 running, 0 failed, 0 quarantined/);
  assert.ok(existsSync(garbage) && existsSync(stray), "nothing moved");
});
