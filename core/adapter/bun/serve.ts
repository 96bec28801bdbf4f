// Bun: HTTP with Bun.serve, children with Bun.spawn, the API modules as
// virtual modules of a Bun plugin.
import { compiled } from "../runtime.ts";
import type { HttpServer, RuntimeAdapter, ServeOptions } from "../types.ts";

const B = (globalThis as any).Bun;

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
  spawnDetached(cmd, args, env, output) {
    // Bun.spawn, not node:child_process: about a millisecond per child instead of
    // several, and no node streams in the master (children start on a busy CPU).
    const exits: Array<(code: number | null, signal: string | null) => void> = [];
    let done: [number | null, string | null] | null = null;
    const p = B.spawn({
      cmd: [cmd, ...args],
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      onExit(_p: unknown, code: number | null, signal: string | null) {
        const sig = signal ?? null; // Bun names it ("SIGKILL")
        // Its last lines first, then the exit (but a grandchild holding the pipes must not delay it long).
        const settle = () => {
          if (done) return;
          done = [sig ? null : code, sig];
          for (const f of exits.splice(0)) f(done[0], done[1]);
        };
        void Promise.all(pumps).then(settle);
        setTimeout(settle, 50);
      },
    });
    const pumps = [pump(p.stdout, (t) => output("stdout", t)), pump(p.stderr, (t) => output("stderr", t))];
    return {
      pid: p.pid,
      get exitCode() { return done ? done[0] : null; },
      get signalCode() { return done ? done[1] : null; },
      onExit(fn) { if (done) fn(done[0], done[1]); else exits.push(fn); },
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

async function pump(stream: ReadableStream<Uint8Array>, write: (text: string) => void) {
  const dec = new TextDecoder();
  try {
    for await (const chunk of stream as any as AsyncIterable<Uint8Array>) write(dec.decode(chunk, { stream: true }));
  } catch { /* the child is gone */ }
  const rest = dec.decode();
  if (rest) write(rest);
}
