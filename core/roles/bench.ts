import type { Channel } from "../ipc/channel.ts";
export async function runBench(_c: Channel): Promise<void> {}
