import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { alive, start, tmp, until } from "../lib.ts";

const lines = (f: string) => (existsSync(f) ? readFileSync(f, "utf8").trim().split("\n").filter(Boolean) : []);
const pidIn = (f: string) => { try { return Number(readFileSync(f, "utf8")) || 0; } catch { return 0; } };

test("--cron runs a shell command every second (crontab with seconds) and --cron-harakiri kills one that runs too long", async () => {
  const out = tmp("mf-cron-");
  const mf = start([
    "--cron", `* * * * * * echo tick >> ${out}/ticks`,
    "--cron", `*/2 * * * * * echo $$ > ${out}/pid; exec sleep 30`,
    "--cron-harakiri", "1",
  ]);
  try {
    await until(() => lines(`${out}/ticks`).length >= 2, 10000, "two ticks");
    const pid = await until(() => pidIn(`${out}/pid`), 10000, "the long command started");
    await mf.waitFor(new RegExp(`HARAKIRI ON CRON .*\\(pid ${pid}\\) after 1 s`), 5000);
    await until(() => !alive(pid), 3000, "the long command killed");
    await mf.waitFor(new RegExp(`\\(pid ${pid}\\) killed by SIGKILL`), 3000);
  } finally { await mf.stop(); }
}, 30000);

test("a cron command still running when the master stops gets SIGTERM and does not outlive it", async () => {
  const out = tmp("mf-cron-");
  const mf = start(["--cron", `* * * * * * echo $$ > ${out}/pid; exec sleep 30`]);
  const pid = await until(() => pidIn(`${out}/pid`), 10000, "the command started");
  const r = await mf.stop();
  assert.equal(r.code, 0, mf.output());
  await until(() => !alive(pid), 3000, "the command ended with the master");
  assert.match(mf.output(), new RegExp(`\\(pid ${pid}\\) killed by SIGTERM`), mf.output());
}, 30000);
