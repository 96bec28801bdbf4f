// Acceptance 6 (half): a Redis that does not answer at start stops the start
// with exit 1 and one line naming the URL and the reason; so does
// `status --redis`. No child is started.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, run } from "../lib.ts";

test("an instance whose --redis does not answer exits 1 with one line naming the URL and the reason", async () => {
  const [http, dead] = [await freePort(), await freePort()];
  const r = await run(["--http", `127.0.0.1:${http}`, "--module", "test/fixtures/redis/cluster-app.ts", "--redis", `redis://127.0.0.1:${dead}/3`], { env: { OUT: "/tmp" } });
  assert.equal(r.code, 1, r.output);
  assert.equal(r.output.trim(), `mulefarm: --redis redis://127.0.0.1:${dead}/3 must be reachable at start: got connect ECONNREFUSED 127.0.0.1:${dead}`);

  const s = await run(["status", "--redis", `redis://127.0.0.1:${dead}`]);
  assert.equal(s.code, 1, s.output);
  assert.equal(s.output.trim(), `mulefarm: --redis redis://127.0.0.1:${dead}/0 must be reachable at start: got connect ECONNREFUSED 127.0.0.1:${dead}`);

  const bad = await run(["--mule", "--redis", "http://127.0.0.1:1"]);
  assert.equal(bad.code, 2, bad.output);
  assert.equal(bad.output.trim(), `mulefarm: --redis must start with redis:// or rediss://: got "http://127.0.0.1:1"`);
}, 30_000);
