// docs/guarantees.md, Spooler tasks, --spooler-sync: whatever the level, a
// producer SIGKILLed while it spools (one by one, and in concurrent groups)
// loses nothing whose spool() had resolved: every id it logged as accepted
// runs. (A power cut is what separates the levels; no test pulls the plug.)
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { stats, until } from "../lib.ts";
import { startSpooler } from "../spool-lib.ts";

for (const sync of ["always", "batch", "none"]) {
  for (const batch of [1, 50]) {
    test(`--spooler-sync ${sync}, ${batch === 1 ? "each spool() awaited" : "groups of 50"}: SIGKILL the producer mid-flood: every accepted task runs`, async () => {
      const s = await startSpooler(["--spooler-sync", sync]);
      try {
        const worker = (await stats(s.sport)).workers[0].pid;
        void s.get(`/flood?batch=${batch}`).catch(() => {});
        await until(() => s.log("accepted.log").length >= 400, 20000, "400 tasks accepted");
        process.kill(worker, "SIGKILL");
        await until(async () => { const w = (await stats(s.sport)).workers[0]; return w.pid !== worker && w.pid > 0; }, 10000, "worker respawned");
        const accepted = new Set(s.log("accepted.log"));
        const ran = () => new Set(s.log("done.log").map((l) => l.split(" ")[0]));
        await until(() => [...accepted].every((id) => ran().has(id)), 30000, `all ${accepted.size} accepted tasks ran`)
          .catch((e) => { const r = ran(); throw new Error(`${e.message}: missing ${[...accepted].filter((id) => !r.has(id)).slice(0, 10).join(",")}`); });
        assert.ok(accepted.size >= 400);
      } finally { await s.mf.stop(); }
    }, 90000);
  }
}
