import { nodeCrypto } from "./lazy-builtins.ts";

// Random hex for tokens and unique file names, from Web Crypto (a global in
// every runtime). Importing node:crypto instead costs each process ~3 ms of
// start-up (it loads the streams machinery).

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** SHA-1 of `data` as hex (only spool keys and app payloads need it). */
export function sha1Hex(data: string | Uint8Array): string {
  return nodeCrypto().createHash("sha1").update(data).digest("hex");
}
