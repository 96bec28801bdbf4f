import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { parseCache2 } from "../../../core/cache/index.ts";
import { UsageError } from "../../../core/errors.ts";

test("--cache2 parses name, items, blocksize, keysize, expires and purge_lru", () => {
  assert.deepEqual(parseCache2("name=sessions,items=10,blocksize=64,keysize=100,expires=30,purge_lru=1"), {
    name: "sessions", items: 10, blocksize: 64, keysize: 100, expires: 30, purgeLru: true,
  });
  assert.deepEqual(parseCache2("name=default,items=100000"), { name: "default", items: 100000 });
});

test("--cache2 errors are UsageErrors naming the key and the bad value", () => {
  const cases: Array<[string, string]> = [
    ["items=10", '--cache2 needs name=NAME: got "items=10"'],
    ["name=x", '--cache2 needs items=N: got "name=x"'],
    ["name=x,items=x", '--cache2 items must be a positive integer (at most 10000000): got "x"'],
    ["name=x,items=0", '--cache2 items must be a positive integer (at most 10000000): got "0"'],
    ["name=x,items=5,blocksize=-1", '--cache2 blocksize must be a positive integer (at most 268435456): got "-1"'],
    ["name=x,items=5,keysize=70000", '--cache2 keysize must be an integer from 1 to 65534: got "70000"'],
    ["name=x,items=5,expires=soon", '--cache2 expires must be a non-negative integer (seconds): got "soon"'],
    ["name=x,items=5,purge_lru=maybe", '--cache2 purge_lru must be 0 or 1: got "maybe"'],
    ["name=x,items=5,hashsize=9", '--cache2 unknown key "hashsize": known keys are name, items, blocksize, keysize, expires, purge_lru'],
    ["name=a/b,items=5", '--cache2 name must be letters, digits, "_", "-" or ".": got "a/b"'],
    ["name=x,items", '--cache2 expects key=value pairs separated by commas: got "items" in "name=x,items"'],
  ];
  for (const [spec, message] of cases) assert.throws(() => parseCache2(spec), new UsageError(message), spec);
});
