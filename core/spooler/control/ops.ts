// The task-control operations every caller shares (the API in any process,
// `mulefarm spool cancel|pause|resume`): they take a spool address and work
// on its store and control, whatever the store.
import { TaskCancelled, TaskResultTimeout, errorFromCode, refused } from "../../errors.ts";
import type { SpoolCounts, SpoolStore } from "../store.ts";
import { openStore } from "../open.ts";
import { laneAddress } from "./lanes.ts";
import { PAUSE_CACHE_MS, type TaskControl, type TaskResult } from "./control.ts";
import { cancelTtlMs } from "./runner.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Cancels task `id`: a pending one never runs and its result is TaskCancelled
 * at once; a running one is told (its AbortSignal fires within ~250 ms).
 * Returns the state it was found in, or null when no such task is queued or running.
 */
export async function cancelIn(main: SpoolStore, control: TaskControl, id: string, resultTtlMs: number): Promise<"pending" | "running" | null> {
  const store = await storeOf(main, control, id);
  const e = await store.get(id);
  if (!e || (e.state !== "pending" && e.state !== "running")) return null;
  await control.markCancelled(id, cancelTtlMs(resultTtlMs));
  if (e.state === "pending") {
    // A claimer may act on a view of the marks up to PAUSE_CACHE_MS old: past
    // that, a task still pending is one no claimer will run.
    await sleep(PAUSE_CACHE_MS + 20);
    const now = await store.get(id);
    if (now?.state === "running") return "running"; // it started meanwhile: its AbortSignal fires
    if (!now || now.state !== "pending") return null;
    const at = Date.now();
    // The claimer that meets it drops it (and writes the same result again).
    await control.putResult(id, { state: "cancelled", at }, Math.max(resultTtlMs, 60_000));
    await control.emit({ type: "cancelled", id, name: e.task?.name, at }).catch(() => {});
  }
  return e.state;
}

/** The store holding task `id`: the spool's, or one of its group lanes' (lanes.ts); the spool's when none has it. */
export async function storeOf(main: SpoolStore, control: TaskControl, id: string): Promise<SpoolStore> {
  if (await main.get(id)) return main;
  for (const g of await control.listGroups()) {
    const lane = await openStore(laneAddress(main.address, g), { inspect: true }).catch(() => null);
    if (lane && (await lane.get(id).catch(() => null))) return lane;
    await lane?.close().catch(() => {});
  }
  return main;
}

/** Per group: its lane's task counts (for `spool ls` and the stats). */
export async function laneCounts(address: string, control: TaskControl): Promise<Array<{ group: string; counts: SpoolCounts }>> {
  const out: Array<{ group: string; counts: SpoolCounts }> = [];
  for (const g of await control.listGroups()) {
    const lane = await openStore(laneAddress(address, g), { inspect: true }).catch(() => null);
    if (!lane) continue;
    try { out.push({ group: g, counts: await lane.counts() }); } catch { /* gone */ } finally { await lane.close().catch(() => {}); }
  }
  return out;
}

/** Pauses or resumes; resolves once no claimer will start a task on a stale view of the flag. */
export async function setPausedIn(control: TaskControl, paused: boolean): Promise<void> {
  await control.setPaused(paused);
  if (paused) await sleep(PAUSE_CACHE_MS + 20);
}

/** The result of `id`: its value, or a rejection with its error / TaskCancelled / TaskResultTimeout. */
export async function waitResult(control: TaskControl, id: string, timeoutS?: number): Promise<unknown> {
  if (timeoutS !== undefined && !(timeoutS >= 0)) throw new TaskResultTimeout(refused("taskResult timeout must be seconds >= 0", timeoutS));
  const deadline = timeoutS === undefined ? Infinity : Date.now() + timeoutS * 1000;
  // Polled: 2 ms at first (a short task's result is there almost at once), doubling to 100 ms.
  for (let wait = 2; ; wait = Math.min(wait * 2, 100)) {
    const r = await control.getResult(id);
    if (r) return settle(id, r);
    const left = deadline - Date.now();
    if (left <= 0) throw new TaskResultTimeout(refused(`task ${id} did not end within its timeout (seconds)`, timeoutS));
    await sleep(Math.min(wait, left));
  }
}

function settle(id: string, r: TaskResult): unknown {
  if (r.state === "completed") return r.value;
  if (r.state === "cancelled") throw new TaskCancelled(`task ${id} was cancelled`);
  throw errorFromCode(r.code, r.message);
}
