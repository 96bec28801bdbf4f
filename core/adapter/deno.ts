import { fileURLToPath } from "node:url";
import type { HttpServer, RuntimeAdapter, ServeOptions } from "./types.ts";

const D = (globalThis as any).Deno;

export const denoAdapter: RuntimeAdapter = {
  name: "deno",
  version: `deno ${D.version.deno}`,
  compiled: false,
  selfCommand() {
    // deno.json carries the import map that makes "mulefarm" resolve for user code.
    const config = fileURLToPath(new URL("../../deno.json", import.meta.url));
    return { cmd: D.execPath(), args: ["run", "-A", "--no-check", "--config", config, fileURLToPath(D.mainModule)] };
  },
  async serve(o: ServeOptions): Promise<HttpServer> {
    let resolveListen!: (port: number) => void;
    const listening = new Promise<number>((r) => (resolveListen = r));
    const server = D.serve({
      hostname: o.host,
      port: o.port,
      reusePort: o.reusePort,
      onListen: (addr: { port: number }) => resolveListen(addr.port),
    }, o.fetch);
    const port = await listening;
    return {
      port,
      async stop(force = false) {
        if (force) { server.unref?.(); return; }
        await server.shutdown();
      },
    };
  },
  installApiModules() {
    // Deno resolves "mulefarm" through the import map in deno.json.
  },
};
