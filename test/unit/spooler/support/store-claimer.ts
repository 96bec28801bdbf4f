// Child process of the conformance suite's "one claimer" test: opens the
// store at ADDRESS through openStore, waits for GOFILE, then claims and
// completes until nothing is left, and writes the claimed ids to OUTFILE.
import { existsSync, writeFileSync } from "node:fs";
import { openStore } from "../../../../core/spooler/open.ts";

const [address, goFile, outFile] = process.argv.slice(process.argv.length - 3);
const store = await openStore(address);
console.log("ready");
while (!existsSync(goFile)) await new Promise((r) => setTimeout(r, 5));
const ids: string[] = [];
for (;;) {
  const c = await store.claim();
  if (!c) break;
  ids.push(c.id);
  await store.complete(c);
}
writeFileSync(outFile, ids.join("\n"));
await store.close();
process.exit(0);
