import type { NewTask } from "./backend.ts";
import { FileSpoolStore } from "./file-store.ts";
export declare function storeFor(dir: string): FileSpoolStore;
/** The configured spool dir a task goes to: `spooler` names one (path), else the first. */
export declare function targetDir(spooler?: string): string;
/** Accepts one task; resolves with its id once it is durable. */
export declare function enqueue(dir: string, task: NewTask): Promise<string>;
