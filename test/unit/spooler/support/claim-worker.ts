// Child process of two-processes-never-claim-the-same-task: claims and
// completes tasks from DIR until none is left, printing each claimed id.
// Waits for GOFILE to exist so that both workers start together.
import { existsSync, writeFileSync } from "node:fs";
import { FileSpoolStore } from "../../../../core/spooler/file-store.ts";

const [dir, goFile, outFile] = process.argv.slice(process.argv.length - 3);
const store = new FileSpoolStore(dir);
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
process.exit(0);
