// The `ipc_raw` benchmark's child: counts Bench frames on the real channel,
// then the same 32-byte records on a plain Unix socket (the reference), and
// reports both receipt windows.
import { net } from "../base/lazy-builtins.ts";
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import { ctx } from "../runtime/context.ts";

export async function runBench(channel: Channel): Promise<void> {
  const n = Number(ctx.meta.frames);
  let count = 0, first = 0n, last = 0n;
  channel.on(Kind.Bench, () => {
    const now = process.hrtime.bigint();
    if (count === 0) first = now;
    last = now;
    if (++count === n) channel.request("bench-result", { kind: "framed", count, first: String(first), last: String(last) });
  });
  channel.onRequest(async (op, args: any) => {
    if (op !== "raw") throw new Error(`unknown op ${op}`);
    // Reference: a plain stream socket with the same records and no framing layer.
    const size = Number(args.size);
    let bytes = 0, rfirst = 0n, rlast = 0n;
    const total = n * size;
    await new Promise<void>((resolve) => {
      const s = net().createConnection(args.path);
      s.on("data", (chunk: Uint8Array) => {
        const now = process.hrtime.bigint();
        if (bytes === 0) rfirst = now;
        bytes += chunk.length;
        rlast = now;
        if (bytes >= total) { s.destroy(); resolve(); }
      });
    });
    return { first: String(rfirst), last: String(rlast), bytes };
  });
  channel.send(Kind.Ready);
}
