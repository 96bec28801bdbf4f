// The acknowledgement datagrams of the signal apps, over the runtime's own
// UDP socket: Bun.udpSocket under Bun (the compiled binary), node:dgram
// elsewhere. uWSGI's Python app uses the socket module, a thin wrapper over
// sendto/recv; node:dgram adds an EventEmitter and Buffer layer that costs
// ~10 µs and a wider tail per datagram here, which would be measured as
// signal latency although no signal is involved.
import { createSocket } from "node:dgram";

const HOST = "127.0.0.1";
const Bun_ = (globalThis as any).Bun;

/** A function sending text datagrams to 127.0.0.1:port. */
export async function udpSender(port: number): Promise<(text: string) => void> {
  if (Bun_) {
    const s = await Bun_.udpSocket({});
    return (t) => void s.send(t, port, HOST);
  }
  const s = createSocket("udp4");
  return (t) => s.send(t, port, HOST);
}

/** A UDP socket bound to 127.0.0.1:port with a receive-with-timeout (null when none came in time). */
export async function udpListener(port: number) {
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  const arrived = (text: string) => { queue.push(text); wake?.(); };
  let close: () => void;
  if (Bun_) {
    const dec = new TextDecoder();
    const s = await Bun_.udpSocket({ port, hostname: HOST, socket: { data: (_s: unknown, buf: Uint8Array) => arrived(dec.decode(buf)) } });
    close = () => s.close();
  } else {
    const s = createSocket("udp4");
    await new Promise<void>((r, j) => { s.once("error", j); s.bind(port, HOST, () => r()); });
    s.on("message", (m) => arrived(m.toString()));
    close = () => s.close();
  }
  const recv = async (timeoutMs: number): Promise<string | null> => {
    if (queue.length) return queue.shift()!;
    await new Promise<void>((r) => { const t = setTimeout(() => { wake = null; r(); }, timeoutMs); wake = () => { clearTimeout(t); wake = null; r(); }; });
    return queue.length ? queue.shift()! : null;
  };
  return { recv, close };
}
