import type { Channel } from "../ipc/channel.ts";
export async function runMule(_c: Channel): Promise<void> {}
