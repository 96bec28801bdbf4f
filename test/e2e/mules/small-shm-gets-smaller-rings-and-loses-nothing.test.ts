import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { tmp, until } from "../lib.ts";
import { startWith, waitJson } from "../mule-lib.ts";

// A container's /dev/shm is often 64 MB: writing past a full tmpfs is a SIGBUS, so the
// rings must fit in what is free. Needs permission to mount a tmpfs (root here).
for (const [size, fallback] of [["4m", true], ["24m", false]] as const) {
  test(`with a ${size} shared-memory dir, 20k messages of 4 KiB (80 MB) reach the mule in order (${fallback ? "through the master" : "smaller rings"}), nothing crashes`, async () => {
    const dir = tmp("mf-smallshm-");
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "ignore" });
    } catch {
      console.log("cannot mount a tmpfs here: test skipped");
      return;
    }
    try {
      const { mf, out } = startWith(["--mule=test/fixtures/mules/consumer.ts", "--mule=test/fixtures/mules/big-producer.ts"], { N: "20000", MULEFARM_SHM_DIR: dir });
      try {
        await until(() => { try { return readFileSync(`${out}/producer.done`, "utf8"); } catch { return null; } }, 60000, "producer done");
        const j = await waitJson(`${out}/consumer1.json`, (x) => x.count >= 20000, 30000);
        assert.equal(j.count, 20000);
        assert.equal(j.inOrder, true);
        assert.equal(j.dups, 0);
        assert.doesNotMatch(mf.output(), /SIGBUS|killed by/);
        assert.equal(/too little free space for direct rings/.test(mf.output()), fallback, mf.output());
      } finally { await mf.stop(); }
    } finally {
      try { execFileSync("umount", [dir], { stdio: "ignore" }); } catch { /* busy: left for the OS */ }
    }
  }, 120000);
}
