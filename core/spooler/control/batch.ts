// Batches (batch() in the API): each task of a batch carries the batch id in
// its args (BATCH_KEY, taken out before the function sees them); when a task
// ends for good its runner counts it (once per task id, so a re-run after a
// crash does not count twice), and the runner that counts the last one spools
// the callback task with the counts. The callback is spooled before the
// batch's record is removed: a crash in between spools it again at the next
// finish of a re-run task, so it runs at least once.
import { oneLine } from "../../errors.ts";
import { log } from "../../log.ts";
import type { SpoolStore } from "../store.ts";
import type { TaskControl } from "./control.ts";

export const BATCH_KEY = "__mfBatch";

/** What the callback task gets as args (beside its own args). */
export interface BatchSummary { batch: string; total: number; succeeded: number; failed: number }

export async function finishBatch(control: TaskControl, store: SpoolStore, batchId: string, id: string, ok: boolean): Promise<void> {
  try {
    const b = await control.batchDone(batchId, id, ok);
    if (!b) return;
    const cb = b.callback;
    if (cb && (cb.when === "complete" || b.failed === 0)) {
      const summary: BatchSummary = { batch: b.id, total: b.total, succeeded: b.succeeded, failed: b.failed };
      const own = cb.args && typeof cb.args === "object" ? cb.args as Record<string, unknown> : {};
      const { wake } = await store.enqueueMany([{ name: cb.name, args: { ...own, ...summary } }]);
      store.notify(wake);
    }
    await control.batchClose(batchId);
  } catch (e) {
    log(`spooler: batch ${batchId} could not be counted for task ${id}: ${oneLine(e)}`);
  }
}
