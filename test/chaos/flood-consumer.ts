// The master-RSS flood's consumers (mule 1, and farm "f" members 2 and 3): take and count.
import { writeFileSync } from "node:fs";
import { Mule } from "mulefarm";

let n = 0;
setInterval(() => writeFileSync(`${process.env.OUT}/got${Mule.currentId()}`, String(n)), 500);
for (;;) { await Mule.getMessage(); n++; }
