// The task this spooler process is running now (one at a time), so that
// progress() called from inside it knows where to write.
import type { TaskControl } from "./control.ts";

export interface CurrentTask { control: TaskControl; id: string; name: string; ttlMs: number }

let current: CurrentTask | null = null;

export function setCurrentTask(t: CurrentTask | null): void {
  current = t;
}
export function currentTask(): CurrentTask | null {
  return current;
}
