/**
 * The sandbox's module loader: what a guest `import` may name (relative files
 * whose real path stays inside the script's directory, and the virtual
 * module "mulefarm"), and the source each one loads (transpiled).
 *
 * @module
 */
import { readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, extname, isAbsolute, join, resolve } from "node:path";
import { UsageError } from "../../core/errors.ts";
import { isInside } from "./capabilities.ts";
import { VIRTUAL_MODULE } from "./prelude.ts";
import { transpile } from "./transpile.ts";

const VIRTUAL = "mulefarm:sandbox";
const REFUSED = "mulefarm:refused:"; // + JSON [base, req]: an import normalize() refused
const IMPORT_EXTS = [".ts", ".js", ".mts", ".mjs", ".tsx"];

export class ModuleLoader {
  private readonly realRoot: string;

  /**
   * `file`: absolute path of the entry script; `rootDir`: relative imports must
   * resolve inside this (real) directory; `offTheClock` runs host work that is
   * not to be charged to the guest's CPU budget.
   */
  constructor(
    private readonly file: string,
    private readonly rootDir: string,
    private readonly offTheClock: <T>(fn: () => T) => T,
  ) {
    try { this.realRoot = realpathSync(rootDir); } catch { this.realRoot = rootDir; }
  }

  /**
   * The module name `req` imported from module `base` stands for. One that
   * may not be imported gets a name whose load() throws the UsageError saying
   * why: an error thrown here would not reach the guest (quickjs-emscripten
   * then loads the module named "", failing with a bare ENOENT).
   */
  normalize(base: string, req: string): string {
    try {
      return this.resolveImport(base, req);
    } catch {
      return REFUSED + JSON.stringify([base, req]);
    }
  }

  private resolveImport(base: string, req: string): string {
    if (req === "mulefarm" || req === "mulefarm/sandbox" || req === VIRTUAL) return VIRTUAL;
    if (!(req.startsWith("./") || req.startsWith("../") || isAbsolute(req))) {
      throw new UsageError(`${this.file}: import "${req}" is not available in the sandbox (only relative files under ${this.rootDir} and "mulefarm")`);
    }
    const from = base === VIRTUAL || !isAbsolute(base) ? this.file : base;
    const abs = resolve(dirname(from), req);
    const found = [abs, ...(extname(abs) ? [] : IMPORT_EXTS.map((e) => abs + e)), ...IMPORT_EXTS.map((e) => join(abs, "index" + e))]
      .find((p) => { try { return statSync(p).isFile(); } catch { return false; } });
    if (!found) throw new UsageError(`${from}: cannot find module "${req}"`);
    let real: string;
    try { real = realpathSync(found); } catch { real = found; }
    if (!isInside(this.realRoot, real)) throw new UsageError(`${from}: import "${req}" leaves the plugin directory ${this.rootDir}`);
    return real;
  }

  /** The JavaScript source of a normalized module name. */
  load(name: string): string {
    if (name === VIRTUAL) return VIRTUAL_MODULE;
    if (name.startsWith(REFUSED)) {
      const [base, req] = JSON.parse(name.slice(REFUSED.length)) as [string, string];
      this.resolveImport(base, req); // throws why
      throw new UsageError(`${base}: import "${req}" cannot be loaded`); // (it appeared meanwhile)
    }
    return this.offTheClock(() => transpile(readFileSync(name, "utf8"), name)); // transpiling is not the guest's CPU time
  }
}
