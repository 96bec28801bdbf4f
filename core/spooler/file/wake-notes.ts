/**
 * The file store's wake note: one line per new task, its name relative to
 * the spool dir ("NAME", "P/NAME", a group directory's name for each of its
 * members), and for a small task stored alone a tab and its bytes in base64.
 * A name is written once and never reused (a retried task gets a later due
 * time), so the claimer of that name can take the bytes from the note
 * instead of opening and reading the file.
 *
 * @example
 * const wake = noteLines(rels, singles);          // producer
 * notes.read(wake, (rel) => index.insert(rel));   // claimer
 * const bytes = notes.take(name);                 // at claim time
 */
import { Buffer } from "node:buffer";

/** Tasks up to this size travel in the note. */
const NOTE_MAX = 512;
/** A claimer keeps at most this many (the rest are read from their files). */
const MAX_NOTES = 10_000;

/** The wake note of a write: `rels` one per task, the bytes of small single files added to their lines. */
export function noteLines(rels: string[], singles: { data: Uint8Array; note?: number }[]): string {
  const lines = rels.slice();
  for (const f of singles) {
    if (f.note !== undefined && f.data.length <= NOTE_MAX) lines[f.note] += `\t${Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength).toString("base64")}`;
  }
  return lines.join("\n");
}

/** The bytes a claimer was given, by file name. */
export class WakeNotes {
  private bytes = new Map<string, Uint8Array>();

  /** Reads a note: each name goes to `onName`, each task's bytes are kept. */
  read(wake: string, onName: (rel: string) => void): void {
    for (const line of wake.split("\n")) {
      const tab = line.indexOf("\t");
      const rel = tab < 0 ? line : line.slice(0, tab);
      onName(rel);
      if (tab >= 0 && this.bytes.size < MAX_NOTES) this.bytes.set(rel.slice(rel.lastIndexOf("/") + 1), new Uint8Array(Buffer.from(line.slice(tab + 1), "base64")));
    }
  }

  /** The bytes of `name` (then forgotten), or undefined. */
  take(name: string): Uint8Array | undefined {
    const b = this.bytes.get(name);
    if (b) this.bytes.delete(name);
    return b;
  }

  /** Forgets `name` (another claimer took it). */
  drop(name: string): void {
    this.bytes.delete(name);
  }
}
