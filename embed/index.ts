/**
 * Files compiled into the mulefarm executable (see embed/README.md).
 *
 * - Bun, from source and in the `bun build --compile` binary: the files are
 *   embedded by `import … with { type: "file" }` (core/adapter/bun/embedded-files.ts) and read
 *   from the binary's `/$bunfs`.
 * - Deno: **Deno cannot embed them** (it rejects `type: "file"`, and
 *   `deno compile` is unavailable here), so `embeddedData` reads
 *   `embed/<name>` from disk next to this module.
 *
 * @example
 * const ini = new TextDecoder().decode(embeddedData("defaults.ini"));
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { url } from "../core/base/lazy-builtins.ts";
import { EmbeddedFileNotFound } from "../core/errors.ts";
import { embeddedFiles } from "../core/adapter/embedded-files.ts";

export { EmbeddedFileNotFound };

/** Every embedded file. Keep in sync with core/adapter/bun/embedded-files.ts (a unit test checks). */
export const EMBEDDED_NAMES = ["defaults.ini", "README.md", "sandbox-guest.d.ts"] as const;
export type EmbeddedName = (typeof EMBEDDED_NAMES)[number];



/** Where embedded files come from in this runtime: "binary" (Bun) or "disk" (Deno/Node, from embed/). */
export function embeddedSource(): "binary" | "disk" {
  return embeddedFiles ? "binary" : "disk";
}

/**
 * The bytes of embedded file `name` (e.g. "defaults.ini"). Under Bun they
 * come from the executable; under Deno (which cannot embed) from
 * `embed/<name>` on disk. Throws EmbeddedFileNotFound for an unknown name.
 */
export function embeddedData(name: string): Uint8Array {
  if (!(EMBEDDED_NAMES as readonly string[]).includes(name)) {
    throw new EmbeddedFileNotFound(`no embedded file named ${JSON.stringify(name)} (available: ${EMBEDDED_NAMES.join(", ")})`);
  }
  const path = embeddedFiles ? embeddedFiles[name] : url().fileURLToPath(new URL(`./${name}`, import.meta.url));
  if (!path) throw new EmbeddedFileNotFound(`embedded file ${JSON.stringify(name)} is listed but was not embedded (add it to core/adapter/bun/embedded-files.ts)`);
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
