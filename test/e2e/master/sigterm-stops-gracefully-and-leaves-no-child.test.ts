import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { alive, descendants, freePort, start, stats, until } from "../lib.ts";

test("SIGTERM stops the instance with exit 0 within the mercy and leaves no child", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "-p", "2", "--module", "examples/hello.ts", "--mules", "2", "--stats", `127.0.0.1:${sport}`, "--reload-mercy", "3"]);
  const doc = await until(async () => { const d = await stats(sport); return d.workers.every((w: any) => w.status === "idle") && d.mules.every((m: any) => m.status === "idle") ? d : null; }, 15000, "ready");
  const pids = [...doc.workers, ...doc.mules].map((x: any) => x.pid);
  const kids = descendants(mf.pid);
  const t0 = Date.now();
  const r = await mf.stop("SIGTERM");
  assert.equal(r.code, 0);
  assert.ok(Date.now() - t0 < 4000, `stopped in ${Date.now() - t0} ms`);
  await new Promise((res) => setTimeout(res, 100));
  for (const p of [...pids, ...kids]) assert.ok(!alive(p), `pid ${p} is gone`);
}, 30000);

test("SIGKILL of the master: every child exits by itself within 2 s", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "-p", "2", "--module", "examples/hello.ts", "--mules", "1", "--mule=test/fixtures/mules/consumer.ts", "--stats", `127.0.0.1:${sport}`], { env: { OUT: "/tmp" } });
  const doc = await until(async () => { const d = await stats(sport); return d.workers.every((w: any) => w.status === "idle") && d.mules.every((m: any) => m.status === "idle") ? d : null; }, 15000, "ready");
  const pids = [...doc.workers, ...doc.mules].map((x: any) => x.pid);
  process.kill(mf.pid, "SIGKILL");
  await mf.exited;
  await until(() => pids.every((p) => !alive(p)), 2000, "children to exit");
  // And the port is free again.
  const r = await fetch(`http://127.0.0.1:${port}/`).then(() => "answered", () => "refused");
  assert.equal(r, "refused");
}, 30000);
