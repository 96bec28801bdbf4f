// Is HOST:PORT free to listen on? Under Bun its native listener answers, so
// the master does not load node:net (streams) just for this check; elsewhere
// the caller uses node:net (null here).
import { runtimeName } from "./runtime.ts";

/** Listens on host:port and stops at once; returns the port it got (port 0: a free one). Throws the runtime's error. */
export const nativeListenProbe: ((host: string, port: number) => number) | null = runtimeName === "bun"
  ? (await import("./bun/listen-probe.ts")).listenProbe
  : null;
