// Two farms or two caches of one name: every send, get and set reached only
// the first, silently. The second definition is refused at start.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { parseCommandLine } from "../../../cmd/config.ts";
import { SharedEngine } from "../../../core/shared/master.ts";

test("--farm NAME given twice is a UsageError saying to list the mules once", () => {
  assert.throws(() => parseCommandLine(["--mules", "2", "--farm", "video:1", "--farm", "video:2"]),
    { code: "UsageError", message: "--farm video is given twice: list all its mules in one --farm video:ID[,ID...]" });
  assert.equal(parseCommandLine(["--mules", "2", "--farm", "video:1,2", "--farm", "audio:2"]).farms.length, 2);
});

test("--cache2 name=NAME given twice is a UsageError naming the cache", () => {
  const config = parseCommandLine(["--mules", "1", "--cache2", "name=c,items=10", "--cache2", "name=c,items=20"]);
  assert.throws(() => new SharedEngine(config), { code: "UsageError", message: '--cache2 name "c" is given twice: give each cache its own name' });
  new SharedEngine(parseCommandLine(["--mules", "1", "--cache2", "name=a,items=10", "--cache2", "name=b,items=10"]));
});
