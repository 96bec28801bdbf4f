import type { NewTask } from "./backend.ts";
export declare const BATCH = "mulefarm.batch";
export declare const BATCH_MAX = 64;
export interface BatchArgs {
    tasks: NewTask[];
}
/** Indexes of a batch's tasks that already finished. */
export declare function finishedOf(dir: string, batchId: string): Set<number>;
export declare function markFinished(dir: string, batchId: string, index: number): void;
export declare function forgetProgress(dir: string, batchId: string): void;
/** Splits tasks into batches that share what a task file holds once: priority and due time. */
export declare function groupForBatches(tasks: NewTask[]): NewTask[][];
