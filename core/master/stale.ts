// A master killed with SIGKILL cannot clean up: its shared-memory files and
// runtime directory stay behind. The next master removes those whose owner
// pid is gone.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shmDir } from "../shm/index.ts";

function dead(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try { process.kill(pid, 0); return false; } catch (e: any) { return e?.code === "ESRCH"; }
}

export function removeStale(): void {
  try {
    for (const f of readdirSync(shmDir())) {
      const m = /^mulefarm-(\d+)-/.exec(f);
      if (m && dead(Number(m[1]))) rmSync(join(shmDir(), f), { force: true });
    }
  } catch { /* nothing to clean */ }
  try {
    for (const d of readdirSync(tmpdir())) {
      if (!d.startsWith("mulefarm-") || d.startsWith("mulefarm-app-")) continue;
      let pid: number;
      try { pid = Number(readFileSync(join(tmpdir(), d, "master.pid"), "utf8")); } catch { continue; }
      if (dead(pid)) rmSync(join(tmpdir(), d), { recursive: true, force: true });
    }
  } catch { /* nothing to clean */ }
}
