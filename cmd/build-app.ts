// `mulefarm build --ini app.ini -o myapp`: one executable holding the
// runtime, the app's scripts (each bundled with its local imports) and its
// ini. `./myapp` starts the whole app as configured; options given on its
// command line still override. Works from the compiled binary too (Bun's
// bundler is part of it).
import { chmodSync, copyFileSync, statSync, writeFileSync } from "node:fs";
import { url } from "../core/base/lazy-builtins.ts";
import { basename, dirname, relative, resolve, sep } from "node:path";
import { UsageError } from "../core/errors.ts";
import { parseCommandLine } from "./config.ts";
import { readIni } from "./ini.ts";
import { encodePayload } from "./app-payload.ts";
import { resolveSpec } from "../core/spec.ts";
import { bundle } from "../core/adapter/build.ts";
import { compiled } from "../core/adapter/runtime.ts";

const API = ["mulefarm", "mulefarm/uwsgi", "mulefarm/uwsgidecorators"];
const SPEC_KEYS = new Set(["module", "wsgi-file", "import", "mule", "sandbox-mule", "plugin"]);

export async function buildCommand(args: string[]): Promise<number> {
  let ini: string | undefined, out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--ini") ini = args[++i];
    else if (a.startsWith("--ini=")) ini = a.slice(6);
    else if (a === "-o" || a === "--output") out = args[++i];
    else throw new UsageError(`build: unexpected argument "${a}" (usage: mulefarm build --ini app.ini -o myapp)`);
  }
  if (!ini || !out) throw new UsageError("build: usage: mulefarm build --ini app.ini -o myapp");
  if (!bundle) throw new UsageError("build needs the Bun runtime: use dist/mulefarm build (Deno cannot compile executables here)");
  parseCommandLine(["--ini", ini]); // the ini must be valid before anything is written

  // Native scripts are bundled together with code splitting, so a module two
  // of them import (tasks.ts by the app and by --import) stays one module
  // with one registry of spool functions, mulefuncs and signals.
  const entries: Array<{ key: string; value: string; file: string; exp?: string; sandbox: boolean }> = [];
  const lines: string[] = ["[mulefarm]"];
  const iniLines = readIni(ini);
  for (const l of iniLines) {
    if (!SPEC_KEYS.has(l.key) || l.value === "" || l.value === "true") continue;
    const spec = resolveSpec(l.value, process.cwd(), `--${l.key}`);
    entries.push({ key: l.key, value: l.value, file: spec.file, exp: spec.export, sandbox: spec.sandbox || l.key === "sandbox-mule" || l.key === "plugin" });
  }
  const files: Record<string, Uint8Array> = {};
  const names = new Map<string, string>(); // source file → bundled path in the app dir
  const native = [...new Set(entries.filter((e) => !e.sandbox).map((e) => e.file))];
  if (native.length) {
    const root = commonDir(native);
    const r = await bundle({ entrypoints: native, target: "bun", format: "esm", splitting: true, root, naming: { entry: "[dir]/[name].[ext]", chunk: "chunk-[hash].[ext]" }, external: API });
    if (!r.success) throw new UsageError(`build: cannot bundle the app: ${r.logs.map(String).join("; ")}`);
    for (const o of r.outputs) files[`app/${o.path.replace(/^\.\//, "")}`] = new Uint8Array(await o.arrayBuffer());
    for (const f of native) names.set(f, `app/${relative(root, f).replace(/\.[mc]?[jt]sx?$/, "")}.js`);
  }
  // Sandboxed scripts (plugins, light mules) each become one self-contained file.
  for (const f of new Set(entries.filter((e) => e.sandbox).map((e) => e.file))) {
    const r = await bundle({ entrypoints: [f], target: "bun", format: "esm", external: API });
    if (!r.success) throw new UsageError(`build: cannot bundle ${f}: ${r.logs.map(String).join("; ")}`);
    const name = `sandbox/${names.size}-${basename(f).replace(/\.[mc]?[jt]sx?$/, "")}.js`;
    files[name] = new Uint8Array(await r.outputs[0].arrayBuffer());
    names.set(f, name);
  }
  for (const l of iniLines) {
    const e = entries.find((x) => x.key === l.key && x.value === l.value);
    if (!e) { lines.push(`${l.key} = ${l.value}`); continue; }
    const prefix = l.value.startsWith("sandbox:") ? "sandbox:" : "";
    lines.push(`${l.key} = ${prefix}%d${names.get(e.file)}${e.exp ? `:${e.exp}` : ""}`);
  }
  const bundled = names;

  const target = resolve(out);
  // The output's directory must exist (a mistyped -o is an error, not a tree created somewhere).
  let dirOk = false;
  try { dirOk = statSync(dirname(target)).isDirectory(); } catch { /* missing */ }
  if (!dirOk) throw new UsageError(`build: cannot write ${target}: ${dirname(target)} is not a directory`);
  if (compiled) {
    copyFileSync(process.execPath, target); // the running binary is mulefarm itself
  } else {
    // From source: compile mulefarm first, as build.ts does.
    const entry = url().fileURLToPath(new URL("./main.ts", import.meta.url));
    const r = await bundle({ entrypoints: [entry], compile: { outfile: target }, minify: { whitespace: true, syntax: true, identifiers: false }, bytecode: true, format: "esm", target: "bun", external: ["msgpackr-extract"] })
      .catch((e: any) => { throw new UsageError(`build: cannot compile mulefarm into ${target}: ${String(e?.errors?.[0]?.message ?? e?.message ?? e).split("\n")[0]}`); });
    if (!r.success) throw new UsageError(`build: cannot compile mulefarm: ${r.logs.map(String).join("; ")}`);
  }
  writeFileSync(target, encodePayload({ ini: lines.join("\n") + "\n", files }), { flag: "a" });
  chmodSync(target, 0o755);
  process.stdout.write(`built ${target}: ${bundled.size} script(s) bundled, ini embedded\n`);
  return 0;
}

function commonDir(files: string[]): string {
  let dir = dirname(files[0]);
  while (!files.every((f) => f.startsWith(dir.endsWith(sep) ? dir : dir + sep))) dir = dirname(dir);
  return dir;
}
