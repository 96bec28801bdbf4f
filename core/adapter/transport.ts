// Native Unix sockets for the IPC channel where the runtime has them (Bun);
// null elsewhere, and core/ipc/transport.ts uses node:net.
import { runtimeName } from "./runtime.ts";
import type { Listener, Transport } from "./types.ts";

export interface NativeUnixSockets {
  listenUnix(path: string, onTransport: (t: Transport) => void): Promise<Listener>;
  connectUnix(path: string): Promise<Transport>;
}

export const nativeUnixSockets: NativeUnixSockets | null = runtimeName === "bun" ? await import("./bun/transport.ts") : null;
