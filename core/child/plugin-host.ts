// The HostApi of a child process: plugin capabilities mapped onto the same
// calls user code makes (signals, mule messages, the shared cache, the spooler).
import type { HostParts } from "../../plugins/host.ts";
import { raiseSignal } from "../signals/child.ts";
import { sendMessage } from "../mules/send.ts";
import { cacheGetString, cacheSet, cacheUpdate } from "../cache/index.ts";
import { enqueue, targetDir } from "../spooler/enqueue.ts";

export function childHost(): HostParts {
  return {
    raiseSignal: (_s, num) => raiseSignal(num),
    muleSend: (_s, target, msg) => sendMessage(target, msg),
    cacheGet: (_s, key, o) => cacheGetString(key, o?.cache),
    cacheSet: (_s, key, value, o) => (o?.update ? cacheUpdate : cacheSet)(key, typeof value === "string" || value instanceof Uint8Array ? value : JSON.stringify(value), o?.expires, o?.cache),
    spool: (_s, name, args) => enqueue(targetDir(), { name, args }),
  };
}
