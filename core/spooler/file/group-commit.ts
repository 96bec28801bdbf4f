/**
 * --spooler-sync batch inside one process: while one write's fsync is in
 * flight, the calls that arrive wait for it to end and are then written
 * together, sharing one file fsync and one directory fsync. An isolated
 * call waits for nothing; a call waits at most one fsync longer than alone.
 *
 * @example
 * const gc = new GroupCommit((tasks) => store.writeNow(tasks));
 * const { ids, wake } = await gc.submit([{ name: "a" }]);
 */
import type { Accepted, NewTask } from "../store.ts";

interface Waiting { tasks: NewTask[]; resolve: (a: Accepted) => void; reject: (e: unknown) => void }

export class GroupCommit {
  private queue: Waiting[] = [];
  private busy = false;

  constructor(private write: (tasks: NewTask[]) => Promise<Accepted>) {}

  submit(tasks: NewTask[]): Promise<Accepted> {
    return new Promise((resolve, reject) => {
      this.queue.push({ tasks, resolve, reject });
      if (!this.busy) void this.drain();
    });
  }

  private async drain() {
    this.busy = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0);
        try {
          const acc = await this.write(batch.flatMap((w) => w.tasks));
          const wakes = acc.wake.split("\n");
          let off = 0;
          for (const w of batch) {
            const n = w.tasks.length;
            w.resolve({ ids: acc.ids.slice(off, off + n), wake: wakes.slice(off, off + n).join("\n") });
            off += n;
          }
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      this.busy = false;
    }
  }
}
