// What a claimer reads off a claimed task's name and file.
import { statSync } from "node:fs";
import { basename, dirname } from "node:path";
import { parseGroupName, parseMemberFile, parseRunningName } from "./names.ts";

/** The due time in the name a claimed task had: running/<name>.<pid>, or running/<group>.<pid>/NN.task. */
export function claimedDue(token: string): number {
  const name = basename(token);
  if (parseMemberFile(name) !== null) return parseGroupName(basename(dirname(token)).replace(/\.\d+$/, ""))?.due ?? 0;
  return parseRunningName(name)?.due ?? 0;
}

// An empty task file younger than this may still get its one write (writeInPlace);
// older, its producer died before the write (never accepted): it is quarantined.
const BEING_WRITTEN_MS = 2000;

export function beingWritten(path: string): boolean {
  try {
    const st = statSync(path);
    return st.size === 0 && Date.now() - st.mtimeMs < BEING_WRITTEN_MS;
  } catch { return false; }
}

