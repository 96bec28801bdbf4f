import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, run, start, stats, tmp, until } from "../lib.ts";

// docs/guarantees.md, Signals: the same rule as poison messages. A signal
// whose target dies before finishing it goes to the successor at most
// --signal-max-redeliveries times; then it is parked: one log line, counted
// in the stats, listed by `mulefarm mule parked`, raised again by `mulefarm mule resend`.
// Mule 1's handler for 41 exits the process every time (test/fixtures/signals/exit-in-handler.ts).

test("with --signal-max-redeliveries 2 a signal whose handler kills its process runs 3 times, is parked and listed, and resend raises it again", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const out = tmp("mf-sig-");
  const mf = start(["--http", `127.0.0.1:${port}`, "-p", "1", "--mules", "1", "--module", "test/fixtures/signals/exit-in-handler.ts", "--stats", `127.0.0.1:${sport}`, "--signal-max-redeliveries", "2"], { env: { OUT: out } });
  try {
    await until(async () => {
      const d = await stats(sport);
      return [...d.workers, ...d.mules].every((x: any) => x.status === "idle") && d.signals?.some((s: any) => s.num === 41);
    }, 20000, "instance ready with signal 41 registered");
    const runs = () => existsSync(`${out}/exits.log`) ? readFileSync(`${out}/exits.log`, "utf8").trim().split("\n").filter((l) => l.startsWith("41 ")).length : 0;
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/raise/41`)).text(), "raised");
    await mf.waitFor(/mule 1 \(pid \d+\) left 1 signal\(s\) unfinished that were already delivered 3 times: parked \(--signal-max-redeliveries 2/, 30000);
    assert.equal(runs(), 3);
    const d = await stats(sport);
    assert.equal(d.signals.find((s: any) => s.num === 41).parked, 1);
    assert.equal(d.signal_parked, 1);
    const ls = await run(["mule", "parked", "--stats", `127.0.0.1:${sport}`]);
    assert.equal(ls.code, 0, ls.output);
    const m = ls.output.match(/#(\d+)\s+signal 41\s+for mule1\s+delivered 3×\s+last held by mule 1/);
    assert.ok(m, ls.output);
    const rs = await run(["mule", "resend", "all", "--stats", `127.0.0.1:${sport}`]);
    assert.match(rs.output, /^1 parked message\(s\) sent again/m);
    await until(() => runs() > 3, 30000, "signal 41 raised again runs once more");
  } finally { await mf.stop(); }
}, 90000);
