// uWSGI-style ini files: a [uwsgi] (or [mulefarm]) section of `key = value`
// lines; repeated keys accumulate; `%(name)` refers to another key of the
// file (options and custom placeholders alike), `$(NAME)` to the environment,
// and `%d`/`%n`/`%%` are the file's directory, its name without extension,
// and a literal percent, as in uWSGI's magic variables.
import { readFileSync } from "node:fs";
import { basename, dirname, extname, resolve } from "node:path";
import { IniError, refused } from "../core/errors.ts";

export interface IniLine { key: string; value: string; where: string }

const SECTIONS = ["uwsgi", "mulefarm"];

/** Reads FILE and returns its section's key/value lines, expanded. */
export async function readIniAsync(file: string, env: Record<string, string | undefined> = process.env): Promise<IniLine[]> {
  if (file.startsWith("embedded:")) {
    const { embeddedData } = await import("../embed/index.ts");
    const name = file.slice("embedded:".length);
    // Relative paths in an embedded ini are relative to the working directory.
    return parseIni(new TextDecoder().decode(embeddedData(name)), resolve(name), env);
  }
  return readIni(file, env);
}

export function readIni(file: string, env: Record<string, string | undefined> = process.env): IniLine[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e: any) {
    // The code, not the message: Bun and Deno word the same failure differently.
    if (file.trim() === "") throw new IniError(`--ini needs a value (FILE): got ""`);
    throw new IniError(`cannot read ini file ${file}: ${e.code === "ENOENT" ? "no such file" : e.code === "EISDIR" ? "it is a directory" : e.code ?? e.message}`);
  }
  return parseIni(text, resolve(file), env);
}

export function parseIni(text: string, file: string, env: Record<string, string | undefined> = {}): IniLine[] {
  const raw: IniLine[] = [];
  let section: string | null = null;
  let sawSection = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const where = `${file}:${i + 1}`;
    const line = lines[i].trim();
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
    if (line.startsWith("[")) {
      if (!line.endsWith("]")) throw new IniError(refused(`${where}: section header must end with "]"`, line));
      section = line.slice(1, -1).trim();
      sawSection = sawSection || SECTIONS.includes(section);
      continue;
    }
    if (section === null) throw new IniError(`${where}: "${line}" is outside any section ([uwsgi] or [mulefarm] comes first)`);
    if (!SECTIONS.includes(section)) continue;
    const eq = line.indexOf("=");
    if (eq < 0) {
      // uWSGI accepts a bare key as a boolean flag ("master" alone).
      if (/^[A-Za-z0-9_.-]+$/.test(line)) { raw.push({ key: line, value: "true", where }); continue; }
      throw new IniError(refused(`${where}: a line must be "key = value"`, line));
    }
    const key = line.slice(0, eq).trim();
    if (!key) throw new IniError(`${where}: missing key before "="`);
    raw.push({ key, value: line.slice(eq + 1).trim(), where });
  }
  if (!sawSection) throw new IniError(`${file}: no [uwsgi] or [mulefarm] section`);

  // Placeholders resolve against the values seen so far (uWSGI semantics:
  // the last value of a key defined above).
  const seen = new Map<string, string>();
  const magic: Record<string, string> = { d: dirname(file) + "/", n: basename(file, extname(file)) };
  return raw.map((l) => {
    const value = expand(l.value, seen, magic, env, l.where);
    seen.set(l.key, value);
    return { ...l, value };
  });
}

function expand(v: string, seen: Map<string, string>, magic: Record<string, string>, env: Record<string, string | undefined>, where: string): string {
  return v.replace(/%\(([^)]+)\)|\$\(([^)]+)\)|%([dn%])/g, (_m, ph, envName, mg) => {
    if (ph !== undefined) {
      const got = seen.get(ph);
      if (got === undefined) throw new IniError(`${where}: unknown placeholder %(${ph})`);
      return got;
    }
    if (envName !== undefined) return env[envName] ?? "";
    return mg === "%" ? "%" : magic[mg];
  });
}
