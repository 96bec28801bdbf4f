import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, run, RUNTIME, start, stats, tmp, until } from "../lib.ts";
import { join } from "node:path";

test(`mulefarm dashboard (${RUNTIME}) without --stats, with a unix socket, or at a stats server without --stats-http exits 2 with one line`, async () => {
  const missing = await run(["dashboard"]);
  assert.equal(missing.code, 2);
  assert.match(missing.output, /^mulefarm: dashboard: --stats HOST:PORT is required/);
  const unix = await run(["dashboard", "--stats", "/tmp/some.sock"]);
  assert.equal(unix.code, 2);
  assert.match(unix.output, /TCP stats address: got "\/tmp\/some\.sock"/);

  const sport = await freePort();
  const mf = start(["--spooler", join(tmp(), "spool"), "--stats", `127.0.0.1:${sport}`]);
  try {
    await until(async () => (await stats(sport)).spoolers[0].pid > 0, 20000, "ready");
    const plain = await run(["dashboard", "--stats", `127.0.0.1:${sport}`]);
    assert.equal(plain.code, 2);
    assert.match(plain.output, /does not speak HTTP \(start the instance with --stats-http\)/);
    assert.equal(plain.output.trim().split("\n").length, 1);
  } finally { await mf.stop(); }
}, 60000);
