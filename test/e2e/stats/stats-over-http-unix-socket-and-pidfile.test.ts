import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { freePort, start, tmp, until } from "../lib.ts";

test("--stats on a unix socket (0600) writes one JSON document; --stats-http answers GET /; --pidfile holds the master pid; app.ts:name serves the named export", async () => {
  const dir = tmp();
  const [port, sport] = [await freePort(), await freePort()];
  const sock = join(dir, "stats.sock");
  const a = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/named-app.ts:api", "--stats", sock, "--pidfile", join(dir, "mf.pid")]);
  const b = start(["--http", `127.0.0.1:${await freePort()}`, "--module", "examples/hello.ts", "--stats", `127.0.0.1:${sport}`, "--stats-http"]);
  try {
    await until(() => existsSync(sock), 10000, "stats socket");
    assert.equal(statSync(sock).mode & 0o777, 0o600);
    const doc = await new Promise<any>((resolve, reject) => {
      const s = createConnection(sock);
      let d = "";
      s.on("data", (x) => (d += x));
      s.on("end", () => resolve(JSON.parse(d)));
      s.on("error", reject);
    });
    assert.equal(doc.pid, a.pid);
    assert.equal(Number(readFileSync(join(dir, "mf.pid"), "utf8")), a.pid);
    await until(async () => (await fetch(`http://127.0.0.1:${port}/x`).then((r) => r.text(), () => "")) === "api /x", 10000, "named export");
    const h = await until(async () => { try { return await (await fetch(`http://127.0.0.1:${sport}/`)).json(); } catch { return null; } }, 10000, "stats over http");
    assert.equal(h.pid, b.pid);
    assert.ok(Array.isArray(h.workers));
  } finally { await Promise.all([a.stop(), b.stop()]); }
  assert.ok(!existsSync(join(dir, "mf.pid")), "the pidfile is removed on stop");
}, 30000);
