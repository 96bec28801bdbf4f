/**
 * The one way to get a SpoolStore: `openStore(address, opts)`. The address
 * is what --spooler / --spooler-external / `mulefarm spool … ADDRESS` name:
 * a directory (the file store), or `scheme://…` for another store.
 *
 * Adding a store is one line in STORES plus a module whose default export is
 * an `OpenStore` function (see file/index.ts).
 *
 * @example
 * const store = await openStore("/var/spool/app", { sync: "batch", log });
 * const store2 = await openStore("redis://127.0.0.1:6379/0#mail");
 */
import { SpoolError } from "../errors.ts";
import type { OpenOptions, OpenStore, SpoolStore } from "./store.ts";

export type { OpenOptions, OpenStore } from "./store.ts";

/** Store modules by address scheme ("" = a directory path). Loaded on first use. */
const STORES: Record<string, () => Promise<{ default: OpenStore }>> = {
  "": () => import("./file/index.ts"),
  file: () => import("./file/index.ts"),
  // redis: () => import("./redis/index.ts"),
};

/** The scheme of an address ("" for a plain path). */
export function schemeOf(address: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(address);
  return m ? m[1].toLowerCase() : "";
}

/** True if `address` names a directory (the file store) rather than a URL. */
export function isPathAddress(address: string): boolean {
  const s = schemeOf(address);
  return s === "" || s === "file";
}

/** Checks an address's scheme without opening anything; throws SpoolError naming an unknown one. */
export function checkAddress(address: string): void {
  if (!Object.hasOwn(STORES, schemeOf(address))) throw unknownScheme(address);
}

function unknownScheme(address: string): SpoolError {
  const known = Object.keys(STORES).filter(Boolean).map((s) => `${s}://`).join(", ");
  return new SpoolError(`spooler address must be a directory or start with ${known}: got "${address}"`);
}

/** Opens the store at `address`; throws SpoolError naming an unknown scheme. */
export async function openStore(address: string, opts: OpenOptions = {}): Promise<SpoolStore> {
  const scheme = schemeOf(address);
  const load = Object.hasOwn(STORES, scheme) ? STORES[scheme] : undefined;
  if (!load) throw unknownScheme(address);
  return (await load()).default(address, opts);
}
