// Bun only (from source and inside `bun build --compile`): the dashboard's
// files are embedded into the executable by these `type: "file"` imports
// (paths under /$bunfs in the binary). Deno rejects `type: "file"`, so
// ../dashboard-assets.ts imports this module under Bun only, and
// core/dashboard/assets.ts reads the same files from disk elsewhere.
// @ts-ignore: Bun file import
import html from "../../dashboard/page/index.html" with { type: "file" };
// @ts-ignore: Bun file import
import js from "../../dashboard/page/app.js" with { type: "file" };
// @ts-ignore: Bun file import
import css from "../../dashboard/page/app.css" with { type: "file" };
// @ts-ignore: Bun file import
import uplotJs from "../../../node_modules/uplot/dist/uPlot.iife.min.js" with { type: "file" };
// @ts-ignore: Bun file import
import uplotCss from "../../../node_modules/uplot/dist/uPlot.min.css" with { type: "file" };

export const PATHS: Record<string, string> = {
  "index.html": html as unknown as string,
  "app.js": js as unknown as string,
  "app.css": css as unknown as string,
  "uPlot.iife.min.js": uplotJs as unknown as string,
  "uPlot.min.css": uplotCss as unknown as string,
};
