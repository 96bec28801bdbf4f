// The file store's entry for openStore (open.ts): a directory address.
import { resolve } from "node:path";
import type { OpenStore } from "../open.ts";
import type { SpoolStore } from "../store.ts";
import { FileSpoolStore } from "../file-store.ts";

const open: OpenStore = (address, opts) => {
  const dir = resolve(address.replace(/^file:\/\//i, ""));
  // Interim: FileSpoolStore is being moved behind SpoolStore (issue 15).
  return new FileSpoolStore(dir, { onQuarantine: opts.onQuarantine, pid: opts.owner }) as unknown as SpoolStore;
};
export default open;
