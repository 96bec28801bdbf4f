/**
 * mulefarm's QuickJS sandbox: the whole public interface. Everything else in
 * plugins/sandbox/ is internal.
 *
 * - {@link loadPlugin} → {@link Plugin}: a plugin with a manifest and hooks.
 * - {@link createLightMule} → {@link LightMule}: a programmed mule script as a
 *   QuickJS runtime inside the calling process.
 * - {@link HostApi}: the callbacks the host implements behind capabilities.
 * - {@link grantsFor}: picks one plugin's grants out of the `--grant` list
 *   (loadPlugin already does this with the full list); {@link checkGrants}:
 *   refuses a list with an entry that is malformed or names nobody.
 *
 * Errors (from core/errors.ts): UsageError (malformed manifest, bad grant,
 * syntax error; exit 2), SpecNotFound, CapabilityDenied (declared but not
 * granted at load; or used without declaring at run time), PluginLimitExceeded
 * (a call exceeded CPU, memory, stack or wall time), QueueFull (light mule).
 *
 * @module
 */
export { loadPlugin } from "./plugin.ts";
export type { Plugin, PluginOptions, PluginRequest, PluginResponse, PluginStats } from "./plugin.ts";
export { createLightMule, lightMuleHeapBytes } from "./light-mule.ts";
export type { LightMule, LightMuleOptions, LightMuleState, LightMuleStats, MuleMessage } from "./light-mule.ts";
export { DEFAULT_LIMITS } from "./host-api.ts";
export type { HostApi, Limits } from "./host-api.ts";
export { HOOKS } from "./manifest.ts";
export type { HookName, Manifest } from "./manifest.ts";
export { CAPABILITY_FORMS, checkGrants, grantsFor } from "./capabilities.ts";
export { ensureTranspiler, transpilerName, TranspilerUnavailable } from "./transpile.ts";
export { hostRuntime } from "./quickjs.ts";
export { GuestError } from "./sandbox.ts";
