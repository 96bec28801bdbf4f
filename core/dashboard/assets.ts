// The page's files (HTML, its script and style, uPlot's), compiled into the
// executable under Bun (core/adapter/bun/dashboard-assets.ts) and read from
// the source tree under Deno; each is gzipped once, on first use, for clients that take gzip.
// No CDN: the page works offline.
import { readFileSync } from "node:fs";
import { dashboardAssetPaths } from "../adapter/dashboard-assets.ts";
import { url } from "../base/lazy-builtins.ts";

export const ASSET_NAMES = ["index.html", "app.js", "app.css", "uPlot.iife.min.js", "uPlot.min.css"] as const;
export type AssetName = (typeof ASSET_NAMES)[number];

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

export interface Asset { type: string; raw: Uint8Array; gzip: Uint8Array }

const DISK: Record<AssetName, string> = {
  "index.html": "./page/index.html",
  "app.js": "./page/app.js",
  "app.css": "./page/app.css",
  "uPlot.iife.min.js": "../../node_modules/uplot/dist/uPlot.iife.min.js",
  "uPlot.min.css": "../../node_modules/uplot/dist/uPlot.min.css",
};

let embedded: Record<string, string> | null | undefined;
const cache = new Map<string, Asset>();

async function pathOf(name: AssetName): Promise<string> {
  if (embedded === undefined) embedded = await dashboardAssetPaths();
  return embedded ? embedded[name] : url().fileURLToPath(new URL(DISK[name], import.meta.url));
}

/** The asset `name` (null for a name that is not one), with its gzip form. */
export async function asset(name: string): Promise<Asset | null> {
  if (!(ASSET_NAMES as readonly string[]).includes(name)) return null;
  let a = cache.get(name);
  if (!a) {
    const raw = new Uint8Array(readFileSync(await pathOf(name as AssetName)));
    const zlib = (process as any).getBuiltinModule("node:zlib") as typeof import("node:zlib");
    a = { type: TYPES[name.slice(name.lastIndexOf(".") + 1)], raw, gzip: new Uint8Array(zlib.gzipSync(raw, { level: 9 })) };
    cache.set(name, a);
  }
  return a;
}

/** Bytes of the whole page (every asset), raw and gzipped: what a first visit downloads. */
export async function pageSize(): Promise<{ raw: number; gzip: number }> {
  let raw = 0, gzip = 0;
  for (const n of ASSET_NAMES) {
    const a = (await asset(n))!;
    raw += a.raw.byteLength;
    gzip += a.gzip.byteLength;
  }
  return { raw, gzip };
}
