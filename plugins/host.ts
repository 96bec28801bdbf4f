// Plugins in a mulefarm process: load the --plugin specs whose hooks this
// process serves, with a HostApi that maps capabilities onto this process's
// API (log, signals, mule messages, the cache, the spooler).
import type { Config } from "../core/config.ts";
import { oneLine } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { resolveSpec } from "../core/spec.ts";
import type { HookName, HostApi, Plugin } from "./sandbox/index.ts";

export type HostParts = Partial<HostApi>;

/** Loads every --plugin; keeps those with one of `hooks` (all are loaded once, so bad ones fail at start). */
export async function loadPlugins(config: Config, hooks: readonly HookName[], host: HostParts): Promise<Plugin[]> {
  if (!config.plugins.length) return [];
  const { checkGrants, loadPlugin } = await import("./sandbox/index.ts");
  const api: HostApi = {
    log: (source, line) => log(`[plugin ${source}] ${line}`),
    onError: (source, err) => log(`[plugin ${source}] ${oneLine(err)}`),
    ...host,
  };
  const kept: Plugin[] = [];
  const names: string[] = [];
  for (const spec of config.plugins) {
    const file = resolveSpec(spec, process.cwd(), "--plugin").file;
    const p = await loadPlugin(file, { grants: config.grants, host: api });
    names.push(p.manifest.name);
    if (p.hooks.some((h) => hooks.includes(h))) kept.push(p);
    else p.dispose();
  }
  // Every grant must name one of them or a light mule (with no plugins, cmd/config.ts checked).
  checkGrants(config.grants, names, config.mules);
  return kept;
}

/** Calls `hook` on every plugin that has it; failures are logged, never thrown. */
export async function notifyPlugins(plugins: Plugin[], hook: HookName, ...args: unknown[]): Promise<void> {
  for (const p of plugins) {
    if (!p.hooks.includes(hook)) continue;
    try {
      await p.call(hook, ...args);
    } catch (e) {
      log(`[plugin ${p.manifest.name}] ${hook} failed: ${oneLine(e)}`);
    }
  }
}
