// The chaos instance's code (test/chaos/run.ts), loaded by every process
// (--module and --import): the HTTP app, the spooled task, and the signal
// handlers. Every delivery appends one line "<kind> <id> <pid>" to
// $OUT/delivered.log (synchronously: a process killed right after a delivery
// has still recorded it; lines are short, so concurrent appends never mix).
import { appendFileSync } from "node:fs";
import { registerSignal, role, muleId, spool } from "mulefarm";

const out = process.env.OUT!;
export const record = (kind: string, id: string) => appendFileSync(`${out}/delivered.log`, `${kind} ${id} ${process.pid}\n`);

/** A spooled task: delivered when it runs. */
export const chaosTask = spool(function chaosTask(args: { id: string }) {
  record("task", args.id);
}, { name: "chaosTask" });

// Signal 30, raised by the sender, runs in mule 1; timer 31 (--timer) in mule 2.
if (role() === "mule" && muleId() === 1) await registerSignal(30, "mule1", () => record("signal", "30"));
// Ticks go to their own file: the run waits for delivered.log to go quiet.
if (role() === "mule" && muleId() === 2) await registerSignal(31, "mule2", () => appendFileSync(`${out}/timer.log`, `timer 31 ${process.pid}\n`));

export default {
  fetch(): Response {
    return new Response("ok");
  },
};
