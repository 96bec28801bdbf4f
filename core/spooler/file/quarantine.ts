/**
 * Corrupt or foreign files found in a spool dir are moved aside, never
 * deleted (they may be someone's data) and never fatal (the spooler keeps
 * going). Each moved file gets a sibling `<name>.reason` with one line.
 *
 *   DIR/quarantine/<original name>.<unix ms>-<random>
 *   DIR/quarantine/<original name>.<unix ms>-<random>.reason
 *
 * The suffix keeps two files of the same name from replacing each other.
 *
 * @example
 * const dest = quarantineFile(`${dir}/quarantine`, `${dir}/junk.bin`, "bad magic");
 */
import { renameSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { randomHex } from "../../base/random.ts";

/** Suffix of the file that holds the reason. */
export const REASON_SUFFIX = ".reason";

/**
 * Moves `file` into `qdir` and records `reason`. Returns the new path, or
 * null when the file is already gone (another process moved or claimed it).
 * `name` overrides the base name (a claimed file keeps its pending name).
 */
export function quarantineFile(qdir: string, file: string, reason: string, name = basename(file)): string | null {
  const dest = join(qdir, `${name}.${Date.now()}-${randomHex(3)}`);
  try {
    renameSync(file, dest);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  try {
    writeFileSync(dest + REASON_SUFFIX, reason.split("\n")[0] + "\n", { mode: 0o600 });
  } catch { /* the file is safe; a missing reason only makes `spool ls` less helpful */ }
  return dest;
}
