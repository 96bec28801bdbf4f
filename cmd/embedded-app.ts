// What mulefarm runs with no options: a one-file app build (mulefarm build)
// runs its own embedded app; the plain binary runs the embedded defaults
// (embed/defaults.ini, the demo of examples/). Options given on the command
// line still override.
import { extractPayload, readPayload } from "./app-payload.ts";

export const EMBEDDED_INI = "embedded:defaults.ini";

export function embeddedArgs(argv: string[]): { args: string[]; note?: string } {
  const app = readPayload(process.execPath);
  if (app) return { args: ["--ini", extractPayload(app)] };
  if (argv.length === 0) return { args: ["--ini", EMBEDDED_INI], note: "no options given: running the embedded defaults (embed/defaults.ini, the demo of examples/); see --help" };
  return { args: [] };
}
