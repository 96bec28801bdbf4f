// The file store's entry for openStore (open.ts): the address is a directory
// (or file://DIR). For inspection only, a directory that does not exist is
// an error instead of being created (`mulefarm spool ls` changes nothing).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type OpenStore, SYNC_MODES, type SyncMode } from "../store.ts";
import { UsageError } from "../../errors.ts";
import { FileStore } from "./store.ts";

const SYNC_FILE = "state/spooler-sync";

function recordedSync(dir: string): SyncMode | undefined {
  try {
    const v = readFileSync(join(dir, SYNC_FILE), "utf8").trim();
    return (SYNC_MODES as readonly string[]).includes(v) ? (v as SyncMode) : undefined;
  } catch { return undefined; }
}

function recordSync(dir: string, sync: SyncMode): void {
  if (recordedSync(dir) === sync) return;
  try {
    mkdirSync(join(dir, "state"), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, SYNC_FILE), sync + "\n", { mode: 0o600 });
  } catch { /* only `spool ls` reads it */ }
}

const open: OpenStore = (address, opts) => {
  const dir = resolve(address.replace(/^file:\/\//i, ""));
  if (opts.inspect && !(existsSync(dir) && statSync(dir).isDirectory())) throw new UsageError(`spool: not a directory: ${dir}`);
  // An inspector shows the setting the instance recorded (the last one that opened the directory to write).
  const sync = opts.inspect ? recordedSync(dir) ?? opts.sync : opts.sync;
  const store = new FileStore(dir, { sync, onQuarantine: opts.onQuarantine, owner: opts.owner, create: !opts.inspect });
  if (!opts.inspect && opts.sync) recordSync(dir, opts.sync);
  return store;
};
export default open;
