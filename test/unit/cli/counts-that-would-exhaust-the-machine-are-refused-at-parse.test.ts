// --processes 100000 would fork 100000 runtimes, --mules 9007199254740991
// would fill the master's memory before any fork, --locks 1000000000 asked
// for a 64 GB mapping and died with an internal RangeError: each count has a
// bound, checked when the command line is read (exit 2, nothing started).
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { parseCommandLine } from "../../../cmd/config.ts";

test("counts over their bound are UsageErrors naming the bound and the value", () => {
  const cases: Array<[string[], string]> = [
    [["--processes", "100000"], '--processes must be at most 4096: got "100000"'],
    [["--spooler-processes", "5000"], '--spooler-processes must be at most 4096: got "5000"'],
    [["--locks", "1000000000"], '--locks must be at most 1000000: got "1000000000"'],
    [["--sharedarea", "268435457"], '--sharedarea must be at most 268435456: got "268435457"'],
    [["--queue", "1000000000"], '--queue must be at most 500000: got "1000000000"'],
    [["--mule-msg-size", "1000000000"], '--mule-msg-size must be at most 33554432: got "1000000000"'],
  ];
  for (const [argv, message] of cases) assert.throws(() => parseCommandLine(argv), { code: "UsageError", message });
  assert.equal(parseCommandLine(["--processes", "4096"]).processes, 4096);
});

test("mules are at most 65535 in all (16-bit ids), refused before any is made", () => {
  const t = Date.now();
  assert.throws(() => parseCommandLine(["--mules", "9007199254740991"]), { code: "UsageError", message: "--mules 9007199254740991 makes 9007199254740991 mules: at most 65535 in all" });
  assert.ok(Date.now() - t < 1000, "refused at once, not after building the list");
  assert.throws(() => parseCommandLine(["--mule", "--mules", "65535"]), { message: "--mules 65535 makes 65536 mules: at most 65535 in all" });
  assert.equal(parseCommandLine(["--mules", "65535"]).mules.length, 65535);
});
