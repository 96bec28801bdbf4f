// The dashboard's page files inside the executable: under Bun, paths of the
// files embedded by `type: "file"` imports (/$bunfs in the compiled binary);
// elsewhere null, and core/dashboard/assets.ts reads them from the source tree.
import { runtimeName } from "./runtime.ts";

/** Asset name → embedded path, or null where nothing is embedded (Deno). Loaded on first use: only a master serving the page pays. */
export async function dashboardAssetPaths(): Promise<Record<string, string> | null> {
  // Literal specifier: Bun's bundler follows it into the compiled binary; it is only evaluated under Bun.
  return runtimeName === "bun" ? (await import("./bun/dashboard-assets.ts")).PATHS : null;
}
