// `npm run build`: compiles cmd/main.ts into the single executable dist/mulefarm.
// Run with Bun (node_modules/.bin/bun build.ts). `--app app.ini -o out` builds
// a one-file app instead (see cmd/build-app.ts).
import { mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { bundle } from "./core/adapter/build.ts";

if (!bundle) {
  console.error("build.ts runs under Bun: node_modules/.bin/bun build.ts");
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.includes("--app")) {
  const { buildCommand } = await import("./cmd/build-app.ts");
  process.exit(await buildCommand(args.filter((a) => a !== "--app").flatMap((a, i, all) => (i === 0 ? ["--ini", a] : [a]))));
}

mkdirSync("dist", { recursive: true });
const t0 = performance.now();
await generateTypes();
const result = await bundle({
  entrypoints: ["./cmd/main.ts"],
  compile: { outfile: "./dist/mulefarm" },
  // Keep identifiers: user-facing stack traces and class names stay readable.
  minify: { whitespace: true, syntax: true, identifiers: false },
  bytecode: true,
  // Chunks per dynamic import: a child loads the bytecode of what its role
  // needs, not of the whole program (a few ms less per process at start).
  splitting: process.env.MF_NO_SPLIT ? false : true,
  format: "esm",
  target: "bun",
  // msgpackr's optional native extension is not shipped inside the binary.
  external: ["msgpackr-extract"],
});
if (!result.success) {
  for (const l of result.logs) console.error(String(l));
  process.exit(1);
}
console.log(`built dist/mulefarm in ${Math.round(performance.now() - t0)} ms`);

/** Emits the user API's declarations with tsc and packs them into embed/generated/types.json. */
async function generateTypes() {
  const { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync } = await import("node:fs");
  const { join, relative } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const out = mkdtempSync(join(tmpdir(), "mulefarm-types-"));
  const proc = spawnSync("node_modules/.bin/tsc", ["core/api/index.ts", "core/api/uwsgi.ts", "core/api/uwsgidecorators.ts",
    "--declaration", "--emitDeclarationOnly", "--outDir", out, "--module", "esnext", "--target", "es2022", "--moduleResolution", "bundler",
    "--skipLibCheck", "--allowImportingTsExtensions", "--types", "bun-types"], { stdio: ["ignore", "pipe", "pipe"] });
  if (proc.status !== 0) {
    console.error(`types: tsc failed:\n${proc.stdout.toString()}${proc.stderr.toString()}`);
    process.exit(1);
  }
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(out, p)] = readFileSync(p, "utf8");
    }
  };
  walk(out);
  rmSync(out, { recursive: true, force: true });
  mkdirSync("embed/generated", { recursive: true });
  writeFileSync("embed/generated/types.json", JSON.stringify(files));
}
