// Bun: Bun.listen on the address, then stop.
export function listenProbe(host: string, port: number): number {
  const l = (globalThis as any).Bun.listen({ hostname: host, port, socket: { data() {} } });
  const got = l.port as number;
  l.stop(true);
  return got;
}
