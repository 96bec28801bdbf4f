// The task-control suite (results, cancel, pause, progress, events, rate,
// batches) against the file store.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runControlConformance } from "./task-control.conformance.ts";
import { openStore } from "../../../core/spooler/open.ts";

runControlConformance("file store", {
  async fresh() {
    const root = mkdtempSync(join(tmpdir(), "mulefarm-ctl-"));
    const dir = join(root, "spool");
    return {
      address: dir,
      open: (o) => openStore(dir, { sync: "none", ...o }),
      async writeGarbage() {},
      async cleanup() { rmSync(root, { recursive: true, force: true }); },
    };
  },
});
