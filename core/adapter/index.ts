// The adapter's face for serving HTTP and spawning children. core/adapter/ is
// the only folder that names a runtime: runtime.ts answers which one runs,
// and each feature has one small file per runtime (bun/, deno/, and
// portable/ for what Deno and Node share), loaded on demand so neither
// runtime parses the other's APIs:
//   serve.ts (here)          HTTP server, child spawning, `import "mulefarm"`
//   shm.ts                   mapping a file MAP_SHARED
//   transport.ts             native Unix sockets for the IPC channel
//   utf8.ts                  the fastest UTF-8 copy into and out of a ring
//   listen-probe.ts          is HOST:PORT free to listen on
//   build.ts                 the bundler behind `mulefarm build` and build.ts
//   embedded-files.ts        files carried inside the executable
//   quickjs-wasm.ts          the sandbox's QuickJS wasm bytes
//   transpiler.ts            TypeScript for the sandbox
//   threads.ts               the runtime's background threads
//   gc.ts                    a forced collection (measurements only)
import { runtimeName } from "./runtime.ts";
import type { RuntimeAdapter } from "./types.ts";

if (runtimeName === "node") throw new Error("mulefarm runs on Bun or Deno");

export { runtimeName };

export const adapter: RuntimeAdapter = runtimeName === "bun"
  ? (await import("./bun/serve.ts")).bunAdapter
  : (await import("./deno/serve.ts")).denoAdapter;

export type { RuntimeAdapter, ServeOptions, HttpServer } from "./types.ts";
