import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, until } from "../lib.ts";
import { startWith } from "../mule-lib.ts";

test("a consumer mule recycled again and again by --mule-reload-on-rss receives every one of 20,000 messages (at least once)", async () => {
  const port = await freePort();
  // 1 MB: every incarnation is over it and is recycled about a second after it starts; consuming takes ~4 s.
  const { mf, out } = startWith(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/mules/send-app.ts", "--mule=test/fixtures/mules/logging-consumer.ts", "--mule-reload-on-rss", "1"]);
  const n = 20_000;
  const ids = () => existsSync(`${out}/received.log`) ? readFileSync(`${out}/received.log`, "utf8").split("\n").filter(Boolean).map(Number) : [];
  try {
    const sent = await until(async () => { try { return await (await fetch(`http://127.0.0.1:${port}/send?n=${n}`)).text(); } catch { return null; } }, 20000, "the messages sent");
    assert.equal(sent, `sent ${n}`);
    await until(() => new Set(ids()).size === n, 40000, "every message received");
    assert.ok((mf.output().match(/over --mule-reload-on-rss 1 MB: recycling/g) ?? []).length >= 2, "recycled while consuming");
    assert.ok(ids().every((i) => i >= 0 && i < n));
  } finally { await mf.stop(); }
}, 70000);
