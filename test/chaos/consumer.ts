// Mules 1 (direct messages) and 2, 3 (farm "f"): record every message taken.
import { Mule } from "mulefarm";
import { record } from "./app.ts";

for (;;) {
  const m = String(await Mule.getMessage());
  const sp = m.indexOf(" ");
  record(m.slice(0, sp), m.slice(sp + 1));
}
