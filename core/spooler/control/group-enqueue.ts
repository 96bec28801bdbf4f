// The producer side of groups (lanes.ts): a task with `group` is accepted
// into its group's lane, and its wake goes to the spool's spoolers.
import { controlFor } from "./open.ts";
import { checkGroup, laneAddress, laneNote } from "./lanes.ts";
import { enqueue, wakeRoutes } from "../enqueue.ts";
import type { NewTask } from "../store.ts";

const registered = new Set<string>();

/** Accepts `task` into group `group` of the spool at `address`; resolves with its id once durable. */
export async function enqueueInGroup(address: string, group: unknown, task: NewTask): Promise<string> {
  const g = checkGroup(group);
  const lane = laneAddress(address, g);
  if (!wakeRoutes.has(lane)) wakeRoutes.set(lane, { address, note: (w) => laneNote(g, w) });
  // Listed before its first task, so a claimer that sees the task knows the lane.
  if (!registered.has(lane)) {
    await (await controlFor(address)).addGroup(g);
    registered.add(lane);
  }
  return enqueue(lane, task);
}
