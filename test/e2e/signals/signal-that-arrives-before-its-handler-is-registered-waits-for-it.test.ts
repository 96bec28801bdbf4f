import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { sleep, until } from "../lib.ts";
import { startWith } from "../mule-lib.ts";

test("a signal that reaches a mule before its program registered the handler runs once the handler is registered", async () => {
  // The master knows 17 → mule1 from the other processes (register-17.ts); mule 1's own handler comes 500 ms late.
  const { mf, out } = startWith(["--mule=test/fixtures/mules/late-handler.ts", "--mule=test/fixtures/mules/raise-17.ts", "--import", "test/fixtures/mules/register-17.ts"]);
  try {
    await until(() => existsSync(`${out}/raised`), 20000, "mule 2 raised 17");
    assert.equal(readFileSync(`${out}/raised`, "utf8"), "before", "the raise happened before mule 1 had its handler");
    await until(() => existsSync(`${out}/late.log`), 10000, "mule 1 ran the handler");
    await sleep(300);
    assert.equal(readFileSync(`${out}/late.log`, "utf8"), `17 ${readFileSync(`${out}/late.started`, "utf8")}\n`, "once, in the first mule 1");
  } finally { await mf.stop(); }
}, 40000);
