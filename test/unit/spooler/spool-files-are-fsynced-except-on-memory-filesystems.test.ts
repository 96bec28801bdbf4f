// Only tmpfs/ramfs may skip fsync (it is a no-op there); a spool dir on any
// other filesystem must be fsynced, or an accepted task could vanish in a
// power cut. The oracle is coreutils' `stat -f`, not our own statfs reading.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { test } from "../../harness.ts";
import { isVolatile } from "../../../core/spooler/file/durable-write.ts";

test("fsync is skipped on tmpfs and ramfs only, as stat -f tells the filesystem", () => {
  const dirs = ["/dev/shm", process.cwd(), tmpdir()].filter((d) => existsSync(d));
  const kinds = new Set<boolean>();
  for (const d of dirs) {
    const fsType = spawnSync("stat", ["-f", "-c", "%T", d], { encoding: "utf8" }).stdout.trim();
    const memory = fsType === "tmpfs" || fsType === "ramfs";
    assert.equal(isVolatile(d), memory, `${d} is on ${fsType}`);
    kinds.add(memory);
  }
  assert.ok(kinds.has(false), `no disk-backed directory among ${dirs.join(", ")} to check the other side`);
});
