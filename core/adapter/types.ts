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

/** A child process the master started (the part of it the master uses). */
export interface ChildHandle {
  pid: number;
  /** null while it runs (or when it was killed by a signal). */
  exitCode: number | null;
  signalCode: string | null;
  /** Called once, when it has exited. */
  onExit(fn: (code: number | null, signal: string | null) => void): void;
}

export interface RuntimeAdapter {
  name: "bun" | "deno";
  version: string;
  /** How to start this same program again (for a child role). */
  selfCommand(): { cmd: string; args: string[] };
  /** True inside a `bun build --compile` executable. */
  compiled: boolean;
  serve(opts: ServeOptions): Promise<HttpServer>;
  /**
   * Starts `cmd` in its own session and process group, stdin closed, its
   * stdout and stderr handed to `output` as text as it arrives.
   */
  spawnDetached(cmd: string, args: string[], env: Record<string, string>, output: (stream: "stdout" | "stderr", text: string) => void): ChildHandle;
  /** Makes `import "mulefarm"` etc. resolve to the loaded API modules. */
  installApiModules(mods: Record<string, Record<string, unknown>>): void;
}

// What a Channel writes to and reads from (core/ipc/transport.ts picks one).
export interface TransportEvents {
  data(chunk: Uint8Array): void;
  close(): void;
}

export interface Transport {
  /** Set by the Channel before any event is delivered. */
  events: TransportEvents;
  /**
   * Writes (or queues) `chunk`. True when the transport still holds it after
   * returning (queued): the caller must not reuse its bytes. False when the
   * bytes were taken (written, or copied), so the caller may reuse the buffer.
   */
  write(chunk: Uint8Array): boolean;
  end(): void;
  destroy(): void;
  ref(): void;
  unref(): void;
}

export interface Listener {
  close(): void;
  /** Lets the process exit while it listens. */
  unref(): void;
}

/** What a bundle (Bun.build) gives back. */
export interface BundleOutput { path: string; arrayBuffer(): Promise<ArrayBuffer> }
export interface BundleResult { success: boolean; logs: unknown[]; outputs: BundleOutput[] }

/** A TypeScript transpiler built into the runtime. */
export interface NativeTranspiler {
  /** How errors and `transpilerName()` call it. */
  name: string;
  transform(source: string, filename: string): string;
}
