import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "../../harness.ts";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { command, ROOT, RUNTIME, until } from "../lib.ts";
import { spoolLs, startDashboard } from "./dash-lib.ts";

/** curl's status line, headers and body (curl as a user types it, sending Accept: any type). */
function curl(args: string[]): { status: number; headers: Record<string, string>; body: string } {
  const r = spawnSync("curl", ["-s", "-i", "--max-time", "10", ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, `curl ${args.join(" ")}: ${r.stderr}`);
  const [head, ...rest] = r.stdout.split("\r\n\r\n");
  const lines = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) { const i = l.indexOf(":"); headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim(); }
  return { status: Number(lines[0].split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
}

test(`--stats-http (${RUNTIME}): unknown path 404, HEAD /metrics 200 Prometheus, JSON for curl, the page for a browser, actions (retry, purge, resend, reload) POST-only and 403 without the token`, async () => {
  const d = await startDashboard();
  try {
    const b = d.base;
    assert.equal(curl([`${b}/nope`]).status, 404);
    assert.equal(curl(["-X", "POST", `${b}/reload`]).status, 404);

    const head = curl(["-I", `${b}/metrics`]);
    assert.equal(head.status, 200);
    assert.match(head.headers["content-type"], /^text\/plain; version=0\.0\.4/);
    assert.equal(head.body, "");
    assert.match(curl([`${b}/metrics`]).body, /^# HELP mulefarm_info/);

    // curl (*/*), `Accept: application/json`: the JSON document, as before.
    const json = curl([`${b}/`]);
    assert.ok(JSON.parse(json.body).pid > 0);
    assert.equal(json.headers["content-type"], "application/json");
    assert.ok(Array.isArray(JSON.parse(curl(["-H", "Accept: application/json", `${b}/`]).body).workers));

    // A browser's Accept: the page, with a CSP that allows only its own assets, and those assets.
    const page = curl(["-H", "Accept: text/html,application/xhtml+xml,*/*;q=0.8", `${b}/`]);
    assert.equal(page.status, 200);
    assert.match(page.headers["content-type"], /^text\/html/);
    assert.match(page.headers["content-security-policy"], /default-src 'none'; script-src 'self'; style-src 'self'/);
    assert.doesNotMatch(page.body, /<script>|<script [^>]*>[^<]+<\/script>|style=/, "no inline script or style");
    const assets = [...page.body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.equal(assets.length, 4);
    let raw = page.body.length, gz = 0;
    for (const a of assets) {
      const r = curl([`${b}${a}`]);
      assert.equal(r.status, 200, a);
      raw += r.body.length;
      const z = spawnSync("curl", ["-s", "--compressed", "-o", "/dev/null", "-w", "%{size_download}", `${b}${a}`], { encoding: "utf8" });
      gz += Number(z.stdout);
    }
    console.log(`page size: ${raw} bytes (HTML+JS+CSS, uPlot included), ${gz} bytes of gzipped assets`);

    // Actions: POST only, and only with the control token.
    assert.equal(curl([`${b}/api/spoolers/0/purge`]).status, 405);
    assert.equal(curl(["-X", "POST", `${b}/api/spoolers/0/purge`]).status, 403);
    assert.equal(curl(["-X", "POST", "-H", "X-Mulefarm-Token: wrong", `${b}/api/spoolers/0/retry`, "-d", '{"id":"all"}']).status, 403);
    const ok = curl(["-X", "POST", "-H", `X-Mulefarm-Token: ${await d.token()}`, `${b}/api/spoolers/0/retry`, "-d", '{"id":"all"}']);
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { ok: 0 });

    // Purge with the token deletes the failed tasks, as `mulefarm spool purge DIR --failed` does.
    writeFileSync(join(d.out, "fail"), "");
    await (await fetch(`http://127.0.0.1:${d.port}/job?n=1`)).text();
    await until(async () => (await d.doc()).spoolers[0].failed === 1, 15000, "a failed task");
    assert.equal(curl(["-X", "POST", `${b}/api/spoolers/0/purge`]).status, 403);
    const purged = curl(["-X", "POST", "-H", `X-Mulefarm-Token: ${await d.token()}`, `${b}/api/spoolers/0/purge`]);
    assert.deepEqual(JSON.parse(purged.body), { ok: 1 });
    assert.match(spoolLs(d.dir), /0 pending, 0 running, 0 failed/);

    // `mulefarm dashboard --stats ADDR` prints the page's address with that token in the fragment.
    const [cmd, ...pre] = command();
    const dash = spawnSync(cmd, [...pre, "dashboard", "--stats", `127.0.0.1:${d.sport}`], { cwd: ROOT, encoding: "utf8" });
    assert.equal(dash.status, 0, dash.stderr);
    assert.equal(dash.stdout, `${b}/#token=${(await d.token()).trim()}\n`);

    // Parked (poison) messages: listed for anyone, resent only with the token.
    const parked = JSON.parse(curl([`${b}/api/parked`]).body);
    assert.deepEqual(parked.mules.parked, []);
    assert.equal(typeof parked.mules.max_redeliveries, "number");
    assert.equal(curl([`${b}/api/parked/resend`]).status, 405);
    assert.equal(curl(["-X", "POST", `${b}/api/parked/resend`, "-d", '{"ids":"all"}']).status, 403);
    assert.equal(curl(["-X", "POST", "-H", `X-Mulefarm-Token: ${await d.token()}`, `${b}/api/parked/resend`, "-d", '{"ids":"x"}']).status, 400);
    assert.deepEqual(JSON.parse(curl(["-X", "POST", "-H", `X-Mulefarm-Token: ${await d.token()}`, `${b}/api/parked/resend`, "-d", '{"ids":"all"}']).body), { ok: 0 });

    // Reload: the same rules; with the token, every worker is replaced (graceful, as `mulefarm reload`).
    assert.equal(curl([`${b}/api/reload`]).status, 405);
    assert.equal(curl(["-X", "POST", `${b}/api/reload`]).status, 403);
    const before = (await d.doc()).workers.map((w: any) => w.pid);
    assert.equal(curl(["-X", "POST", "-H", `X-Mulefarm-Token: ${await d.token()}`, `${b}/api/reload`]).status, 200);
    await until(async () => {
      const w = (await d.doc()).workers;
      return w.every((x: any, i: number) => x.pid !== before[i] && x.status === "idle");
    }, 30000, "every worker replaced");
    await d.mf.waitFor(/reload done/, 30000);
  } finally {
    await d.mf.stop();
  }
}, 60000);
