// Child of enqueue-many-writes-one-file-per-group: opens DIR with --spooler-sync
// SYNC and accepts 100 tasks in one call (50 without a priority, 50 with
// priority 3: two groups), then prints "ok".
import { openStore } from "../../../../core/spooler/open.ts";
import type { SyncMode } from "../../../../core/spooler/store.ts";

const [dir, sync] = process.argv.slice(process.argv.length - 2);
const store = await openStore(dir, { sync: sync as SyncMode });
await store.enqueueMany(Array.from({ length: 100 }, (_, i) => ({ name: "n", args: { i }, priority: i % 2 === 0 ? undefined : 3 })));
console.log("ok");
process.exit(0);
