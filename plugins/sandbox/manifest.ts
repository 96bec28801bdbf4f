/**
 * The plugin manifest: `export const manifest = { name, version,
 * capabilities, hooks }`, validated strictly. Every problem is a UsageError
 * (exit 2) of the form `plugin <file>: manifest.<field> must be …: got …`.
 *
 * @module
 */
import { UsageError, refused } from "../../core/errors.ts";
import { CAPABILITY_FORMS, CAPABILITY_KINDS, parseCapability, type Capability } from "./capabilities.ts";

/** Hooks a plugin may export. See plugin.ts for their arguments and results. */
export const HOOKS = ["onRequest", "onLog", "onSpawn", "onExit", "onSignal", "onTask"] as const;
export type HookName = (typeof HOOKS)[number];

export interface Manifest {
  name: string;
  version: string;
  capabilities: string[];
  hooks: HookName[];
  description?: string;
}

const FIELDS = ["name", "version", "capabilities", "hooks", "description"];

/**
 * Validates the exported `manifest` of `file`. `exported` lists the names the
 * module exports as functions (each hook must be one). `baseDir` resolves
 * relative `fs:read:DIR`. Returns the manifest and its parsed capabilities.
 */
export function validateManifest(
  value: unknown,
  file: string,
  exportedFunctions: readonly string[],
  baseDir: string,
): { manifest: Manifest; capabilities: Capability[] } {
  const bad = (field: string, rule: string, v: unknown) =>
    new UsageError(refused(`plugin ${file}: manifest${field ? "." + field : ""} must be ${rule}`, v));
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw bad("", "an exported object { name, version, capabilities, hooks }", value);
  }
  const m = value as Record<string, unknown>;
  for (const k of Object.keys(m)) {
    if (!FIELDS.includes(k)) throw new UsageError(`plugin ${file}: manifest.${k} is not a manifest field (fields: ${FIELDS.join(", ")})`);
  }
  if (typeof m.name !== "string" || !/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(m.name)) {
    throw bad("name", "a name of 1-64 letters, digits, \"_\", \"-\" or \".\" starting with a letter", m.name);
  }
  if ((CAPABILITY_KINDS as readonly string[]).includes(m.name)) {
    throw bad("name", `a name that is not a capability kind (${CAPABILITY_KINDS.join(", ")})`, m.name);
  }
  if (typeof m.version !== "string" || !m.version.trim() || m.version.length > 64) {
    throw bad("version", "a non-empty string of at most 64 characters", m.version);
  }
  if (m.description !== undefined && typeof m.description !== "string") {
    throw bad("description", "a string when given", m.description);
  }
  if (!Array.isArray(m.capabilities)) throw bad("capabilities", "an array of strings", m.capabilities);
  const caps: Capability[] = [];
  m.capabilities.forEach((c, i) => {
    const p = typeof c === "string" ? parseCapability(c, baseDir) : null;
    if (!p) throw bad(`capabilities[${i}]`, `one of ${CAPABILITY_FORMS}`, c);
    caps.push(p);
  });
  if (!Array.isArray(m.hooks)) throw bad("hooks", "an array of hook names", m.hooks);
  const seen = new Set<string>();
  m.hooks.forEach((h, i) => {
    if (typeof h !== "string" || !(HOOKS as readonly string[]).includes(h)) throw bad(`hooks[${i}]`, `one of ${HOOKS.join(", ")}`, h);
    if (seen.has(h)) throw bad(`hooks[${i}]`, "listed once", h);
    seen.add(h);
    if (!exportedFunctions.includes(h)) {
      throw bad(`hooks[${i}]`, `a hook the plugin exports as a function (it exports: ${exportedFunctions.join(", ") || "no functions"})`, h);
    }
  });
  const manifest: Manifest = {
    name: m.name,
    version: m.version,
    capabilities: caps.map((c) => c.raw),
    hooks: [...(m.hooks as HookName[])],
  };
  if (m.description !== undefined) manifest.description = m.description as string;
  return { manifest, capabilities: caps };
}
