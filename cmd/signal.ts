// `mulefarm signal NUM --stats ADDR`: raise a signal in a running instance.
import { UsageError } from "../core/errors.ts";
import { controlRequest } from "./control.ts";

export async function signalCommand(args: string[]): Promise<number> {
  let num: string | undefined, stats: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--stats") stats = args[++i];
    else if (a.startsWith("--stats=")) stats = a.slice(8);
    else if (num === undefined && !a.startsWith("-")) num = a;
    else throw new UsageError(`signal: unexpected argument "${a}" (usage: mulefarm signal NUM --stats ADDR)`);
  }
  if (num === undefined || !/^\d+$/.test(num) || Number(num) > 255) throw new UsageError(`signal: NUM must be an integer 0..255: got ${JSON.stringify(num ?? "")}`);
  if (!stats) throw new UsageError("signal: --stats ADDR is required (the instance's stats server)");
  try {
    await controlRequest(stats, "signal.raise", { num: Number(num) });
  } catch (e: any) {
    if (e instanceof UsageError) throw e;
    process.stderr.write(`mulefarm: ${e.message}\n`);
    return 1;
  }
  process.stdout.write(`signal ${num} raised\n`);
  return 0;
}
