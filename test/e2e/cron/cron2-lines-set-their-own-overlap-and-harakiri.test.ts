// uWSGI's --cron2 "key=value,... COMMAND": unique=0 lets runs overlap, a
// line's harakiri= overrides --cron-harakiri (0: none). second= (ours) keeps
// the test to seconds.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { sleep, start, tmp, until } from "../lib.ts";

const lines = (f: string) => (existsSync(f) ? readFileSync(f, "utf8").trim().split("\n").filter(Boolean) : []);

test("--cron2 unique=0 runs overlap, unique=1 runs skip, and harakiri=0 exempts a line from --cron-harakiri", async () => {
  const out = tmp("mf-cron2-");
  const mf = start([
    // 2.5 s runs every second: overlapping, and each one outlives --cron-harakiri 1 (exempt: harakiri=0).
    "--cron2", `second=-1,unique=0,harakiri=0 echo start >> ${out}/overlap; sleep 2.5; echo end >> ${out}/overlap`,
    "--cron2", `second=-1,unique=1,harakiri=0 echo start >> ${out}/unique; sleep 2.5; echo end >> ${out}/unique`,
    "--cron-harakiri", "1",
  ]);
  try {
    await until(() => lines(`${out}/overlap`).filter((l) => l === "end").length >= 2, 15000, "two overlapping runs ended");
    await sleep(200);
    const o = lines(`${out}/overlap`), u = lines(`${out}/unique`);
    // Overlapping: by the second end, at least 3 starts (one a second, each lasting 2.5 s).
    assert.ok(o.filter((l) => l === "start").length >= 3, `overlap: ${o.join(",")}`);
    // Unique: start/end strictly alternate (never two starts in a row).
    for (let i = 1; i < u.length; i++) assert.notEqual(u[i], u[i - 1], `unique runs overlapped: ${u.join(",")}`);
    assert.ok(u.includes("end"), `a unique run finished: ${u.join(",")}`);
    assert.doesNotMatch(mf.output(), /HARAKIRI ON CRON/, "harakiri=0 exempts both lines from --cron-harakiri 1");
    assert.match(mf.output(), /previous run still going, skipped/);
  } finally { await mf.stop(); }
}, 40000);
