// `mulefarm signal NUM --stats ADDR`: raise a signal in a running instance.
import { UsageError, refused } from "../core/errors.ts";
import { controlRequest, statsArgs } from "./control.ts";

export async function signalCommand(args: string[]): Promise<number> {
  const usage = "usage: mulefarm signal NUM --stats ADDR";
  const { stats, rest: [num, extra] } = statsArgs(args, "signal", usage);
  if (extra !== undefined) throw new UsageError(`signal: unexpected argument "${extra}" (${usage})`);
  if (num === undefined || !/^\d+$/.test(num) || Number(num) > 255) throw new UsageError(refused("signal: NUM must be an integer 0..255", num ?? ""));
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
