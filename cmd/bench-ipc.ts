// `mulefarm bench-ipc [--frames N] [--size B]`: the ipc_raw workload. The
// master side sends N frames through the framed channel (one send() call per
// frame, coalescing left to the channel), then the same bytes through a plain
// Unix socket written in 64 KiB chunks. Prints one JSON line.
import { mkdtempSync, rmSync } from "node:fs";
import { net } from "../core/base/lazy-builtins.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pack } from "msgpackr/pack";
import { Channel } from "../core/ipc/channel.ts";
import { listenUnix } from "../core/ipc/transport.ts";
import { Kind } from "../core/ipc/types.ts";
import { spawnProc } from "../core/master/spawn.ts";
import type { Slot } from "../core/engine.ts";

export async function benchIpcCommand(args: string[]): Promise<number> {
  const get = (k: string, d: number) => { const i = args.indexOf(k); return i >= 0 ? Number(args[i + 1]) : d; };
  const n = get("--frames", 1_000_000), size = get("--size", 32);
  const dir = mkdtempSync(join(tmpdir(), "mulefarm-bench-"));
  const sockPath = join(dir, "m.sock"), rawPath = join(dir, "raw.sock");
  let ch!: Channel;
  let resultFramed!: (v: any) => void;
  const framed = new Promise<any>((r) => (resultFramed = r));
  const ready = new Promise<void>((resolve) => {
    void listenUnix(sockPath, (transport) => {
      ch = new Channel(transport);
      ch.on(Kind.Hello, () => ch.send(Kind.Init, pack({ config: { imports: [], mules: [], farms: [], env: [] }, role: "bench", id: 1, meta: { frames: n }, masterPid: process.pid, startedOn: 0, runtimeDir: dir })));
      ch.on(Kind.Ready, () => resolve());
      ch.onRequest((op, a) => { if (op === "bench-result") resultFramed(a); return true; });
    });
  });
  const slot: Slot = { role: "bench", id: 1, meta: {}, current: null, old: [], respawnCount: 0, quickDeaths: 0, lastSpawn: 0, stats: {}, status: "" };
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "BUN_BE_BUN") env[k] = v;
  const proc = spawnProc(slot, sockPath, env);
  await ready;
  const payload = new Uint8Array(size).fill(120);
  for (let i = 0; i < n; i++) ch.send(Kind.Bench, payload);
  ch.flush();
  const f = await framed;

  // Reference: the same records over a plain socket, 64 KiB writes.
  const raw = net().createServer((s) => {
    const chunk = new Uint8Array(65536 - (65536 % size)).fill(120);
    let left = n * size;
    const pump = () => {
      while (left > 0) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!s.write(piece)) { s.once("drain", pump); return; }
      }
    };
    pump();
  });
  await new Promise<void>((r) => raw.listen(rawPath, () => r()));
  const r = await ch.request("raw", { path: rawPath, size });
  raw.close();
  process.kill(proc.pid, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
  const framedS = Number(BigInt(f.last) - BigInt(f.first)) / 1e9;
  const rawS = Number(BigInt(r.last) - BigInt(r.first)) / 1e9;
  const framesPerS = Math.round((n - 1) / framedS);
  const rawPerS = Math.round((n - 1) / rawS);
  process.stdout.write(JSON.stringify({ frames: n, size, received: f.count, lost: n - f.count, frames_per_s: framesPerS, raw_socket_per_s: rawPerS, ratio_to_raw: Number((framesPerS / rawPerS).toFixed(3)) }) + "\n");
  return 0;
}
