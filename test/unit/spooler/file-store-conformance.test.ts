// The file store (a spool directory) passes the store conformance suite, at
// every --spooler-sync level.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runStoreConformance } from "./spool-store.conformance.ts";
import { newTaskId, pendingName } from "../../../core/spooler/file/names.ts";
import { openStore } from "../../../core/spooler/open.ts";
import { SYNC_MODES } from "../../../core/spooler/store.ts";

for (const sync of SYNC_MODES) runStoreConformance(`file store, sync ${sync}`, ({
  async fresh() {
    const root = mkdtempSync(join(tmpdir(), "mulefarm-spool-"));
    const dir = join(root, "spool");
    return {
      address: dir,
      open: (o) => openStore(dir, { sync, ...o }),
      async writeGarbage() {
        const t = Date.now() - 60_000;
        writeFileSync(join(dir, pendingName(t, newTaskId(t))), "not a task at all");
      },
      async cleanup() { rmSync(root, { recursive: true, force: true }); },
    };
  },
}));
