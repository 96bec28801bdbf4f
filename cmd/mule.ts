// `mulefarm mule parked --stats ADDR` and `mulefarm mule resend ID...|all
// --stats ADDR`: the poison messages a running instance set aside (a message,
// farm message, shared-queue message or mulefunc call whose mule died holding
// it more than --mule-max-redeliveries times; a signal left unfinished by more
// than --signal-max-redeliveries dying processes; core/mules/parked.ts), and
// routing them again. Both ask the master over its control connection.
import { refused, UsageError } from "../core/errors.ts";
import { controlRequest, statsArgs } from "./control.ts";

const USAGE = "usage: mulefarm mule parked --stats ADDR | mulefarm mule resend ID...|all --stats ADDR";

export async function muleCommand(args: string[]): Promise<number> {
  const { stats, rest: [sub, ...ids] } = statsArgs(args, "mule", USAGE);
  if (sub !== "parked" && sub !== "resend") throw new UsageError(`${refused("mule: the subcommand must be parked or resend", sub ?? "")} (${USAGE})`);
  if (!stats) throw new UsageError(`mule: --stats ADDR is required (the instance's stats server) (${USAGE})`);
  if (sub === "parked" && ids.length) throw new UsageError(`mule parked: unexpected argument "${ids[0]}" (${USAGE})`);
  if (sub === "resend") {
    if (!ids.length) throw new UsageError(`mule resend: name parked ids or all (${USAGE})`);
    const bad = ids.find((x) => x !== "all" && !/^\d+$/.test(x));
    if (bad !== undefined || (ids.includes("all") && ids.length > 1)) throw new UsageError(refused("mule resend: ids must be integers, or all alone", bad ?? ids.join(" ")));
  }
  try {
    if (sub === "parked") {
      type List = { parked: Array<Record<string, any>>; total: number; max_redeliveries: number };
      const r = await controlRequest(stats, "mule.parked", {}) as List;
      const s = await controlRequest(stats, "signal.parked", {}) as List;
      process.stdout.write(`${r.parked.length} parked (${r.total} ever; --mule-max-redeliveries ${r.max_redeliveries})\n`);
      if (s.total) process.stdout.write(`${s.parked.length} signal(s) parked (${s.total} ever; --signal-max-redeliveries ${s.max_redeliveries})\n`);
      for (const p of [...r.parked, ...s.parked].sort((a, b) => a.id - b.id)) {
        if (p.kind === "signal") {
          process.stdout.write(`  #${p.id}  signal ${p.type}  for ${p.target}  delivered ${p.deliveries}×  last held by ${p.holder}  ${new Date(p.at).toISOString()}\n`);
          continue;
        }
        process.stdout.write(`  #${p.id}  ${p.kind.padEnd(8)}  for ${p.target}  from pid ${p.sender || "?"}  ${p.size} bytes  delivered ${p.deliveries}×  last held by ${p.holder}  ${new Date(p.at).toISOString()}  ${p.preview}\n`);
      }
      return 0;
    }
    const want = { ids: ids[0] === "all" ? [] : ids.map(Number) };
    const n = Number(await controlRequest(stats, "mule.resend", want)) + Number(await controlRequest(stats, "signal.resend", want));
    process.stdout.write(`${n} parked message(s) sent again\n`);
    return 0;
  } catch (e: any) {
    if (e instanceof UsageError) throw e;
    process.stderr.write(`mulefarm: ${e.message}\n`);
    return 1;
  }
}
