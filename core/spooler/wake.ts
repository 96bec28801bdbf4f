// The SpoolWake frame: producer → master names the spooler address and the
// store's wake note; master → spooler carries the note alone.
//
//   producer → master   <address>\0<wake note>
//   master → spooler    <wake note>
const enc = new TextEncoder(), dec = new TextDecoder();

export function encodeWake(address: string, note: string): Uint8Array {
  return enc.encode(`${address}\0${note}`);
}

export function decodeWake(body: Uint8Array): { address: string; note: string } {
  const s = dec.decode(body);
  const i = s.indexOf("\0");
  return i < 0 ? { address: s, note: "" } : { address: s.slice(0, i), note: s.slice(i + 1) };
}

export function encodeNote(note: string): Uint8Array {
  return enc.encode(note);
}

export function decodeNote(body: Uint8Array | undefined): string {
  return body && body.length ? dec.decode(body) : "";
}
