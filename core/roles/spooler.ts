import type { Channel } from "../ipc/channel.ts";
export async function runSpooler(_c: Channel): Promise<void> {}
