// Mule 4, the sender: until $OUT/stop exists, each turn sends a batch to
// mule 1 (direct ring), a batch to farm "f" (through the master), spools a few
// tasks and raises signal 30, then records what was accepted (one line per
// item in $OUT/accepted.log: "<kind> <id> <ms>") once its promise resolved.
// Ids are "<pid>:<seq>": unique across this sender's successors.
import { appendFileSync, existsSync } from "node:fs";
import { Farm, Mule, raiseSignal } from "mulefarm";
import { chaosTask } from "./app.ts";

const out = process.env.OUT!;
const BATCH = Number(process.env.BATCH ?? 20);
const mule1 = new Mule(1), farm = new Farm("f");
let seq = 0;
const id = () => `${process.pid}:${seq++}`;

while (!existsSync(`${out}/stop`)) {
  const lines: string[] = [];
  const done = (kind: string, i: string) => lines.push(`${kind} ${i} ${Date.now()}`);
  const work: Promise<unknown>[] = [];
  for (let k = 0; k < BATCH; k++) {
    const a = id(), b = id();
    work.push(mule1.send(`mule ${a}`).then(() => done("mule", a)));
    work.push(farm.send(`farm ${b}`).then(() => done("farm", b)));
  }
  for (let k = 0; k < 2; k++) {
    const t = id();
    work.push(chaosTask.spool({ id: t }).then(() => done("task", t)));
  }
  work.push(raiseSignal(30).then(() => done("signal", "30")));
  await Promise.allSettled(work);
  appendFileSync(`${out}/accepted.log`, lines.join("\n") + "\n");
  await new Promise((r) => setTimeout(r, 20));
}
setInterval(() => {}, 1 << 30);
