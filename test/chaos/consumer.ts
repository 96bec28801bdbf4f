// Mules 1 (direct messages) and 2, 3 (farm "f"): record every message taken.
// With $SLOW_MS, each message takes that long: a backlog builds up (so a
// master kill has queued messages to lose).
import { Mule } from "mulefarm";
import { record } from "./app.ts";

const slow = Number(process.env.SLOW_MS ?? 0);
for (;;) {
  const m = String(await Mule.getMessage());
  const sp = m.indexOf(" ");
  record(m.slice(0, sp), m.slice(sp + 1));
  if (slow) await new Promise((r) => setTimeout(r, slow));
}
