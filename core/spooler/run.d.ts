import type { TaskRecord } from "./task.ts";
export declare const SPOOL_OK = -2;
export declare const SPOOL_RETRY = -1;
export declare const SPOOL_IGNORE = 0;
export type Outcome = {
    kind: "complete";
} | {
    kind: "retry";
    delayMs: number;
    error?: string;
    countAttempt: boolean;
} | {
    kind: "fail";
    error: string;
};
export interface TaskMeta {
    id: string;
    attempt: number;
    dir: string;
}
export declare function runTask(t: TaskRecord, meta: TaskMeta): Promise<Outcome>;
