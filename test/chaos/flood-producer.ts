// The master-RSS flood's producer (test/chaos/master-rss.ts): sends 32-byte
// messages to mule 1 (direct ring) and to farm "f" (through the master), in
// turns of BATCH each, as fast as they are accepted, until $OUT/stop exists
// ($FLOOD_ONLY=mule or farm: that path alone).
import { existsSync, writeFileSync } from "node:fs";
import { Farm, Mule } from "mulefarm";

const out = process.env.OUT!;
const BATCH = 256;
const mule1 = new Mule(1), farm = new Farm("f");
const msg = "x".repeat(32);
const only = process.env.FLOOD_ONLY; // "mule" or "farm": one path alone
let sent = 0;
while (!existsSync(`${out}/stop`)) {
  const w: Promise<void>[] = [];
  for (let k = 0; k < BATCH; k++) {
    if (only !== "farm") w.push(mule1.send(msg));
    if (only !== "mule") w.push(farm.send(msg));
  }
  await Promise.all(w);
  sent += w.length;
}
writeFileSync(`${out}/sent`, String(sent));
setInterval(() => {}, 1 << 30);
