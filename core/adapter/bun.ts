import type { HttpServer, RuntimeAdapter, ServeOptions } from "./types.ts";

const B = (globalThis as any).Bun;
const compiled = String(B.main).startsWith("/$bunfs");

export const bunAdapter: RuntimeAdapter = {
  name: "bun",
  version: `bun ${B.version}`,
  compiled,
  selfCommand() {
    return compiled ? { cmd: process.execPath, args: [] } : { cmd: process.execPath, args: [B.main] };
  },
  async serve(o: ServeOptions): Promise<HttpServer> {
    const server = B.serve({
      hostname: o.host,
      port: o.port,
      reusePort: o.reusePort,
      fetch: o.fetch,
      development: false,
    });
    return {
      port: server.port,
      async stop(force = false) {
        await server.stop(force);
      },
    };
  },
  installApiModules(mods) {
    // Virtual modules: user files loaded at run time (also inside the compiled
    // binary, where no node_modules exist) import the very instances loaded here.
    B.plugin({
      name: "mulefarm-api",
      setup(build: any) {
        for (const [spec, exports] of Object.entries(mods)) {
          build.module(spec, () => ({ exports, loader: "object" }));
        }
      },
    });
  },
};
