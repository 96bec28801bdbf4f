export interface ServeOptions {
  host: string;
  port: number;
  reusePort: boolean;
  fetch: (req: Request) => Response | Promise<Response>;
}

export interface HttpServer {
  port: number;
  /** Stops accepting; resolves when in-flight requests are done (or force). */
  stop(force?: boolean): Promise<void>;
}

export interface RuntimeAdapter {
  name: "bun" | "deno";
  version: string;
  /** How to start this same program again (for a child role). */
  selfCommand(): { cmd: string; args: string[] };
  /** True inside a `bun build --compile` executable. */
  compiled: boolean;
  serve(opts: ServeOptions): Promise<HttpServer>;
  /** Makes `import "mulefarm"` etc. resolve to the loaded API modules. */
  installApiModules(mods: Record<string, Record<string, unknown>>): void;
}
