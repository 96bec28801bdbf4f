import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { RUNTIME, until } from "../lib.ts";
import { launchChromium, spoolLs, startDashboard } from "./dash-lib.ts";

test(`the live page in chromium (${RUNTIME}): real pids, no console error, a chart gains points within 3 s under load, Retry needs the token and puts the failed task back`, async () => {
  const d = await startDashboard();
  const browser = await launchChromium();
  // Kept after the test (unlike its other temp dirs): the path is printed to look at.
  const shots = mkdtempSync(join(tmpdir(), "mf-dashboard-shot-"));
  try {
    // A task that fails (no retries): it lands in failed/.
    writeFileSync(join(d.out, "fail"), "");
    const id = await (await fetch(`http://127.0.0.1:${d.port}/job?n=7`)).text();
    await until(async () => (await d.doc()).spoolers[0].failed === 1, 15000, "the task in failed/");
    assert.match(spoolLs(d.dir), new RegExp(`failed \\(1\\)\\n  ${id}`));
    rmSync(join(d.out, "fail"));

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
    const res = await page.goto(d.base + "/", { waitUntil: "load" });
    assert.equal(res?.status(), 200);
    assert.match(res?.headers()["content-security-policy"] ?? "", /script-src 'self'/);

    // The process table names the instance's real pids.
    const doc = await d.doc();
    const pids = [doc.pid, ...doc.workers.map((w: any) => w.pid), ...doc.mules.map((m: any) => m.pid), doc.spoolers[0].pid];
    await page.waitForFunction((ps: number[]) => {
      const cells = [...document.querySelectorAll("#procs td")].map((td) => td.textContent);
      return ps.every((p) => cells.includes(String(p)));
    }, { timeout: 20000 }, pids);
    await page.waitForSelector("#chart-rps canvas", { timeout: 20000 });
    assert.deepEqual(errors, [], "console errors while loading");

    // Under load, the requests/s chart gains points, the latest above zero, within 3 s.
    const points = () => page.$eval("#chart-rps", (e) => ({ n: Number((e as HTMLElement).dataset.points), last: JSON.parse((e as HTMLElement).dataset.last ?? "[]") as number[] }));
    const before = await points();
    let loading = true;
    const load = (async () => { while (loading) await (await fetch(`http://127.0.0.1:${d.port}/`)).text(); })();
    const t0 = Date.now();
    try {
      await until(async () => { const p = await points(); return p.n > before.n && p.last.some((v) => v > 0); }, 3000, "the requests/s chart to gain a point above zero");
      console.log(`chart point above zero after ${Date.now() - t0} ms`);
    } finally { loading = false; await load; }

    // The failed task is listed with its error and attempts.
    await page.waitForSelector(`#failed-0 button.retry[data-id="${id}"]`, { timeout: 20000 });
    const row = await page.$eval("#failed-0", (t) => t.textContent);
    assert.match(row ?? "", /job 7 failed on purpose/);

    // A task's detail: its record, as `mulefarm spool show` gives it.
    await page.click(`#failed-0 a.id`);
    await page.waitForFunction((id: string) => { const t = document.getElementById("taskDetail")!.textContent ?? ""; return t.includes(id) && /"lastError": "Error: job 7 failed on purpose/.test(t) && /"state": "failed"/.test(t); }, { timeout: 15000 }, id);

    // Without the token, Retry is refused and the task stays failed.
    await page.click(`#failed-0 button.retry[data-id="${id}"]`);
    await page.waitForFunction(() => /Refused \(403\)/.test(document.getElementById("msg")!.textContent ?? ""), { timeout: 15000 });
    assert.match(spoolLs(d.dir), /failed \(1\)/);

    // With it, Retry puts the task back: it runs (done.log) and `mulefarm spool ls` shows no failed task.
    await page.type("#token", await d.token());
    await page.click("#tokenForm button");
    await page.click(`#failed-0 button.retry[data-id="${id}"]`);
    await page.waitForFunction(() => /1 failed task\(s\) queued again/.test(document.getElementById("msg")!.textContent ?? ""), { timeout: 15000 });
    await until(() => existsSync(join(d.out, "done.log")) && readFileSync(join(d.out, "done.log"), "utf8").includes("7"), 15000, "the retried task ran");
    const ls = spoolLs(d.dir);
    assert.match(ls, /failed \(0\)/);
    assert.match(ls, /0 pending, 0 running, 0 failed/);
    await page.waitForFunction(() => /no failed task/.test(document.getElementById("failed-0")!.textContent ?? ""), { timeout: 15000 });

    // The master's events are in the log.
    const events = await page.$eval("#events", (e) => e.textContent ?? "");
    assert.match(events, /spawned worker 1/);
    assert.match(events, /queued again/);

    // For the README's picture (MF_DASHBOARD_SCREENSHOT=docs/dashboard.png): a minute of varied work first.
    if (process.env.MF_DASHBOARD_SCREENSHOT) await demoLoad(d.port, d.out);
    const shot = join(shots, `dashboard-${RUNTIME}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`dashboard screenshot: ${shot}`);
    if (process.env.MF_DASHBOARD_SCREENSHOT) copyFileSync(shot, process.env.MF_DASHBOARD_SCREENSHOT);
    const late = errors.filter((e) => !/status of 403/.test(e));
    assert.deepEqual(late, [], "console errors (besides the refused action's 403)");
  } finally {
    await browser.close();
    await d.mf.stop();
  }
}, 240000);

/** Requests in waves, mule messages, spooled tasks, and two that fail (left in failed/), for about a minute. */
async function demoLoad(port: number, out: string) {
  const get = (p: string) => fetch(`http://127.0.0.1:${port}${p}`).then((r) => r.text());
  writeFileSync(join(out, "fail"), "");
  await get("/job?n=101");
  await get("/job?n=102");
  await new Promise((r) => setTimeout(r, 1500));
  rmSync(join(out, "fail"));
  const end = Date.now() + 60_000;
  let i = 0;
  while (Date.now() < end) {
    const wave = 1 + Math.round(6 * (1 + Math.sin(i++ / 6)));
    await Promise.all(Array.from({ length: wave }, async () => {
      for (let k = 0; k < 20; k++) await get("/");
      await get("/msg");
      await get("/cache");
      if (k0(i)) await get(`/job?n=${i}`);
    }));
    await new Promise((r) => setTimeout(r, 200));
  }
}
const k0 = (i: number) => i % 3 === 0;
