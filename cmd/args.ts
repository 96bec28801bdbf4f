// Command-line tokens → ordered (name, value) entries, driven by the option
// table. node:util parseArgs can't express uWSGI's optional-value options
// (`--mule` alone vs `--mule=x`) nor its aliases, so this small table-driven
// parser does it.
import { UsageError } from "../core/errors.ts";
import { findOption, findShort, nearestOption, type OptionDef } from "./options.ts";

export interface Entry {
  def: OptionDef;
  value: string; // "true" for flags and bare optional options ("" means bare)
  from: string; // "command line" or "file:line" for messages
}

export function parseArgv(argv: string[]): Entry[] {
  const out: Entry[] = [];
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (tok.startsWith("--")) {
      const eq = tok.indexOf("=");
      const name = eq >= 0 ? tok.slice(2, eq) : tok.slice(2);
      const def = findOption(name);
      if (!def) {
        const near = nearestOption(name);
        throw new UsageError(`unknown option --${name}${near ? ` (did you mean --${near}?)` : ""}`);
      }
      if (def.kind === "flag") {
        if (eq >= 0) {
          const v = tok.slice(eq + 1);
          out.push({ def, value: boolText(def, v), from: "command line" });
        } else out.push({ def, value: "true", from: "command line" });
      } else if (eq >= 0) {
        out.push({ def, value: tok.slice(eq + 1), from: "command line" });
      } else if (def.kind === "optional") {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith("-")) {
          out.push({ def, value: next, from: "command line" });
          i++;
        } else out.push({ def, value: "", from: "command line" });
      } else {
        const next = argv[i + 1];
        // `--processes --mules 2`: the next word is an option, so this one was left without its value.
        if (next === undefined || isOptionWord(next)) throw new UsageError(`--${name} needs a value${def.arg ? ` (${def.arg})` : ""}`);
        out.push({ def, value: next, from: "command line" });
        i++;
      }
    } else if (tok.startsWith("-") && tok.length > 1) {
      const def = findShort(tok[1]);
      if (!def) throw new UsageError(`unknown option ${tok}`);
      if (def.kind === "flag") {
        out.push({ def, value: "true", from: "command line" });
      } else if (tok.length > 2) {
        out.push({ def, value: tok.slice(2), from: "command line" });
      } else {
        const next = argv[i + 1];
        if (next === undefined || isOptionWord(next)) throw new UsageError(`-${def.short} needs a value${def.arg ? ` (${def.arg})` : ""}`);
        out.push({ def, value: next, from: "command line" });
        i++;
      }
    } else if (tok.endsWith(".ini")) {
      // uWSGI accepts a bare config file as its only argument.
      out.push({ def: findOption("ini")!, value: tok, from: "command line" });
    } else {
      throw new UsageError(`unexpected argument "${tok}" (options start with --)`);
    }
  }
  return out;
}

/** A word that is one of mulefarm's own long options (`--mules`, `--http=:80`), so never an option's value. */
function isOptionWord(w: string): boolean {
  if (!w.startsWith("--")) return false;
  const eq = w.indexOf("=");
  return findOption(eq >= 0 ? w.slice(2, eq) : w.slice(2)) !== undefined;
}

/** Accepts the ini/cli spellings of a boolean. */
export function boolText(def: OptionDef, v: string): string {
  const s = v.trim().toLowerCase();
  if (["", "1", "true", "yes", "on"].includes(s)) return "true";
  if (["0", "false", "no", "off"].includes(s)) return "false";
  throw new UsageError(`--${def.name} must be true or false: got "${v}"`);
}
