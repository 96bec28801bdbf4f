// A one-file app is the mulefarm executable with a payload appended: the
// app's bundled scripts and its ini. (Bun keeps its own code in an ELF
// section, so bytes after the end of the file are ours.) Layout:
//   [msgpack {ini, files}] [u64 LE payload length] ["MULEFARM-APP-v1\n"]
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, renameSync, writeFileSync } from "node:fs";
import { sha1Hex } from "../core/base/random.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pack, unpack } from "msgpackr/pack";

export const MAGIC = "MULEFARM-APP-v1\n";
const TRAILER = 8 + MAGIC.length;

export interface AppPayload { ini: string; files: Record<string, Uint8Array> }

export function encodePayload(p: AppPayload): Uint8Array {
  const body = pack(p);
  const out = new Uint8Array(body.length + TRAILER);
  out.set(body, 0);
  new DataView(out.buffer).setBigUint64(body.length, BigInt(body.length), true);
  out.set(new TextEncoder().encode(MAGIC), body.length + 8);
  return out;
}

/** The payload appended to `exe`, or null for a plain mulefarm binary. */
export function readPayload(exe: string): { payload: AppPayload; digest: string } | null {
  let fd: number;
  try { fd = openSync(exe, "r"); } catch { return null; }
  try {
    const size = fstatSync(fd).size;
    if (size < TRAILER) return null;
    const t = new Uint8Array(TRAILER);
    readSync(fd, t, 0, TRAILER, size - TRAILER);
    if (new TextDecoder().decode(t.subarray(8)) !== MAGIC) return null;
    const len = Number(new DataView(t.buffer).getBigUint64(0, true));
    const body = new Uint8Array(len);
    readSync(fd, body, 0, len, size - TRAILER - len);
    return { payload: unpack(body) as AppPayload, digest: sha1Hex(body).slice(0, 16) };
  } finally {
    closeSync(fd);
  }
}

/** Writes the app's files once per payload version; returns the ini's path. */
export function extractPayload(p: { payload: AppPayload; digest: string }): string {
  const dir = join(tmpdir(), `mulefarm-app-${p.digest}`);
  const ini = join(dir, "app.ini");
  if (existsSync(ini)) return ini;
  const tmp = `${dir}.${process.pid}.tmp`;
  for (const [name, bytes] of Object.entries(p.payload.files)) {
    const f = join(tmp, name);
    mkdirSync(join(f, ".."), { recursive: true, mode: 0o700 });
    writeFileSync(f, bytes);
  }
  writeFileSync(join(tmp, "app.ini"), p.payload.ini);
  try { renameSync(tmp, dir); } catch { /* another start won the race: its copy is the same */ }
  return ini;
}
