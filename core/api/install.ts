// Makes `import ... from "mulefarm"` (and the compat modules) resolve, in the
// compiled binary and from source, to the instances this process runs.
import { adapter } from "../adapter/index.ts";
import * as api from "./index.ts";
import * as uwsgi from "./uwsgi.ts";
import * as decorators from "./uwsgidecorators.ts";

let installed = false;
export function installApi(): void {
  if (installed) return;
  installed = true;
  adapter.installApiModules({
    "mulefarm": api as Record<string, unknown>,
    "mulefarm/uwsgi": uwsgi as Record<string, unknown>,
    "mulefarm/uwsgidecorators": decorators as Record<string, unknown>,
  });
}
