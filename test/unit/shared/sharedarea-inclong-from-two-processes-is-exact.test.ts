import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openSharedArea } from "../../../core/sharedarea/index.ts";
import { cleanup, runFixture, tmpShm } from "../../fixtures/shm/run.ts";

for (const pos of [0, 13]) {
  test(`sharedarea incLong at ${pos % 8 ? "unaligned" : "aligned"} position ${pos} from two processes 10k times each gives 20000`, async () => {
    const path = tmpShm("area"), barrier = tmpShm("barrier");
    try {
      const area = openSharedArea(path, 1, { fresh: true });
      const args = [path, barrier, "2", String(pos), "10000"];
      const [a, b] = await Promise.all([runFixture("sharedarea-inc.ts", args), runFixture("sharedarea-inc.ts", args)]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      assert.equal(area.readLong(pos), 20000);
    } finally {
      cleanup(path, barrier);
    }
  }, 60_000);
}
