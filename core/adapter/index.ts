// The only place that knows which runtime runs: everything else calls these.
// Runtime-specific code lives in ./bun.ts and ./deno.ts, loaded on demand so
// neither runtime parses the other's APIs.
import type { RuntimeAdapter } from "./types.ts";

const g = globalThis as any;
export const runtimeName: "bun" | "deno" = g.Bun ? "bun" : g.Deno ? "deno" : (() => {
  throw new Error("mulefarm runs on Bun or Deno");
})();

export const adapter: RuntimeAdapter = runtimeName === "bun"
  ? (await import("./bun.ts")).bunAdapter
  : (await import("./deno.ts")).denoAdapter;

export type { RuntimeAdapter, ServeOptions, HttpServer } from "./types.ts";
