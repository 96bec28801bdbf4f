// Loads user code natively (full runtime, full speed). The sandboxed loader
// (QuickJS) lives beside it and takes the same Spec.
import { url } from "../base/lazy-builtins.ts";
import { ExportNotFound } from "../errors.ts";
import type { Spec } from "../spec.ts";

/** Imports the module of `spec`; returns the module and the named export if one was asked for. */
export async function loadNative(spec: Spec): Promise<{ module: Record<string, unknown>; target?: unknown }> {
  const module = (await import(url().pathToFileURL(spec.file).href)) as Record<string, unknown>;
  if (spec.export === undefined) return { module };
  if (!(spec.export in module)) {
    const names = Object.keys(module).filter((k) => k !== "default");
    throw new ExportNotFound(`${spec.file} has no export "${spec.export}"${names.length ? ` (it exports: ${names.join(", ")})` : ""}`);
  }
  return { module, target: module[spec.export] };
}
