// Self-test of the sandbox in whatever runtime runs it, including a compiled
// binary: `node_modules/.bin/bun build --compile plugins/sandbox/selftest.ts
// --outfile /tmp/sbx && cd /tmp && /tmp/sbx`. Writes a plugin and a mule
// script to a temp dir, runs them, reads an embedded file. Exit 1 on failure.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { embeddedData, embeddedSource } from "../../embed/index.ts";
import { createLightMule, hostRuntime, loadPlugin, transpilerName } from "./index.ts";
import { newQuickJSInstance } from "./quickjs.ts";
import { compiled } from "../../core/adapter/runtime.ts";

const where = `${hostRuntime()}${compiled ? " (compiled)" : ""}`;
let failed = false;
const check = (what: string, ok: boolean, detail = "") => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail ? ": " + detail : ""}`);
  if (!ok) failed = true;
};

const t0 = performance.now();
const qjs = await newQuickJSInstance();
const tLoad = performance.now() - t0;
const rt = qjs.module.newRuntime();
const ctx = rt.newContext();
const out = ctx.dump(ctx.unwrapResult(ctx.evalCode("[1,2,3].map((x) => x * 2).join(',')")));
ctx.dispose();
rt.dispose();
check(`quickjs on ${where}`, out === "2,4,6", `wasm compiled+instantiated in ${tLoad.toFixed(1)} ms`);

const dir = mkdtempSync(join(tmpdir(), "mulefarm-selftest-"));
try {
  writeFileSync(join(dir, "p.ts"), `
    export const manifest = { name: "selftest", version: "1", capabilities: ["cache"], hooks: ["onRequest"] };
    enum Code { Ok = 200 }
    export async function onRequest(req: { url: string }): Promise<{ status: number; body: string }> {
      await cache.set("seen", req.url);
      return { status: Code.Ok, body: "typed " + req.url };
    }`);
  const seen: string[] = [];
  const t1 = performance.now();
  const p = await loadPlugin(join(dir, "p.ts"), { grants: ["selftest:cache"], host: { cacheSet: (_s, _k, v) => { seen.push(String(v)); } } });
  const tPlugin = performance.now() - t1;
  const r = await p.call("onRequest", { method: "GET", url: "/x", headers: {} });
  p.dispose();
  check(`plugin (TypeScript via ${transpilerName()})`, r?.body === "typed /x" && seen[0] === "/x", `loaded in ${tPlugin.toFixed(1)} ms`);

  writeFileSync(join(dir, "m.ts"), `
    import { Mule, cache } from "mulefarm";
    let n: number = 0;
    for await (const m of Mule.messages()) { if (m === "end") await cache.set("n", n); else n++; }`);
  let got: unknown;
  const done = new Promise<void>((res) => {
    createLightMule(join(dir, "m.ts"), { id: 1, grants: ["cache"], host: { cacheSet: (_s, _k, v) => { got = v; res(); } } }).then((m) => {
      for (let i = 0; i < 100; i++) m.deliver("m" + i);
      m.deliver("end");
      setTimeout(() => m.dispose(), 1000);
    });
  });
  await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
  check("light mule", got === 100, `counted ${got}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const ini = new TextDecoder().decode(embeddedData("defaults.ini"));
check(`embeddedData("defaults.ini") from ${embeddedSource()}`, ini.includes("[mulefarm]") && ini.includes("processes = 2"));
process.exit(failed ? 1 : 0);
