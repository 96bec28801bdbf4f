// Deno: HTTP with Deno.serve, children with node:child_process, the API
// modules through deno.json's import map.
import { childProcess, url } from "../../base/lazy-builtins.ts";
import type { HttpServer, RuntimeAdapter, ServeOptions } from "../types.ts";

const D = (globalThis as any).Deno;

export const denoAdapter: RuntimeAdapter = {
  name: "deno",
  version: `deno ${D.version.deno}`,
  compiled: false,
  selfCommand() {
    // deno.json carries the import map that makes "mulefarm" resolve for user code.
    const config = url().fileURLToPath(new URL("../../../deno.json", import.meta.url));
    return { cmd: D.execPath(), args: ["run", "-A", "--no-check", "--config", config, url().fileURLToPath(D.mainModule)] };
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
  spawnDetached(cmd, args, env, output) {
    const child = childProcess().spawn(cmd, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], env });
    child.stdout!.setEncoding("utf8");
    child.stderr!.setEncoding("utf8");
    child.stdout!.on("data", (t: string) => output("stdout", t));
    child.stderr!.on("data", (t: string) => output("stderr", t));
    return {
      pid: child.pid ?? -1,
      get exitCode() { return child.exitCode; },
      get signalCode() { return child.signalCode; },
      onExit(fn) {
        if (child.exitCode !== null || child.signalCode !== null) return fn(child.exitCode, child.signalCode);
        // Its last lines first ("close": the pipes are drained), then the exit; but a
        // grandchild holding the pipes open must not delay it more than a moment.
        child.once("exit", (code, signal) => {
          let done = false;
          const settle = () => { if (!done) { done = true; fn(code, signal); } };
          child.once("close", settle);
          setTimeout(settle, 50);
        });
      },
    };
  },
  installApiModules() {
    // Deno resolves "mulefarm" through the import map in deno.json.
  },
};
