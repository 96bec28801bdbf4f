import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { parseCommandLine } from "../../../cmd/config.ts";

test("--queue-blocksize must be a multiple of 8 larger than the item header; a good one reaches the config, 8192 by default", () => {
  assert.throws(() => parseCommandLine(["--queue", "4", "--queue-blocksize", "13"]), { code: "UsageError", message: '--queue-blocksize must be a multiple of 8 larger than 16: got "13"' });
  assert.throws(() => parseCommandLine(["--queue", "4", "--queue-blocksize", "16"]), { code: "UsageError" });
  assert.equal(parseCommandLine(["--queue", "4", "--queue-blocksize", "64"]).queueBlocksize, 64);
  assert.equal(parseCommandLine(["--queue", "4"]).queueBlocksize, 8192);
});
