import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { backoffMs, DEFAULT_RETRIES, MAX_BACKOFF_MS, mayRetry } from "../../../core/spooler/policy.ts";

test("retry back-off doubles from its base, is capped at 5 minutes, and retries default to 3", () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffMs({}, n)), [1000, 2000, 4000, 8000]);
  assert.deepEqual([1, 2, 3].map((n) => backoffMs({ backoff: 0.5 }, n)), [500, 1000, 2000]);
  assert.equal(backoffMs({ backoff: 10 }, 40), MAX_BACKOFF_MS);
  assert.equal(backoffMs({ backoff: 0 }, 3), 0);
  assert.equal(DEFAULT_RETRIES, 3);
  assert.ok(mayRetry({}, 3) && !mayRetry({}, 4));
  assert.ok(mayRetry({ retries: 0 }, 0) && !mayRetry({ retries: 0 }, 1));
  assert.ok(mayRetry({ retries: Infinity }, 1e6));
});
