// The little HTTP/1.1 the stats server speaks with --stats-http: one request
// per connection (every answer closes it, as the JSON-only server always did),
// a bounded head and body, and the event stream that stays open. Kept on the
// raw socket the stats server already has (no node:http on the master's start).
import type { Socket } from "node:net";

export interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: Uint8Array;
}

const MAX_HEAD = 16 * 1024;
const MAX_BODY = 64 * 1024;
/** A connection that sends no whole request in this time is closed (a client that connects and waits holds a socket). */
const REQUEST_TIMEOUT_MS = 10_000;

/** Calls `onReq` once the request's head and body have arrived; answers 400/413/431 itself. */
export function readRequest(sock: Socket, onReq: (req: Req) => void): void {
  let buf: Buffer = Buffer.alloc(0);
  let head: Omit<Req, "body"> | null = null;
  let need = 0;
  const timer = setTimeout(() => sock.destroy(), REQUEST_TIMEOUT_MS);
  const done = () => { clearTimeout(timer); sock.removeListener("data", onData); };
  const onData = (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    if (!head) {
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) {
        if (buf.length > MAX_HEAD) { done(); send(sock, 431, {}, "request head too large\n"); }
        return;
      }
      head = parseHead(buf.toString("latin1", 0, end));
      if (!head) { done(); send(sock, 400, {}, "bad request\n"); return; }
      need = Number(head.headers["content-length"] ?? 0);
      if (!Number.isSafeInteger(need) || need < 0 || need > MAX_BODY) { done(); send(sock, 413, {}, "request body too large\n"); return; }
      buf = buf.subarray(end + 4);
    }
    if (buf.length < need) return;
    done();
    onReq({ ...head, body: buf.subarray(0, need) });
  };
  sock.on("data", onData);
  sock.on("close", () => clearTimeout(timer));
}

function parseHead(text: string): Omit<Req, "body"> | null {
  const lines = text.split("\r\n");
  const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(lines[0]);
  if (!m) return null;
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(":");
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const q = m[2].indexOf("?");
  return { method: m[1], path: q < 0 ? m[2] : m[2].slice(0, q), query: new URLSearchParams(q < 0 ? "" : m[2].slice(q + 1)), headers };
}

const REASON: Record<number, string> = {
  200: "OK", 204: "No Content", 304: "Not Modified", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
  413: "Payload Too Large", 431: "Request Header Fields Too Large", 500: "Internal Server Error", 503: "Service Unavailable",
};

/** One whole response, then the connection closes. `head`: a HEAD request (headers only, same Content-Length). */
export function send(sock: Socket, status: number, headers: Record<string, string>, body: string | Uint8Array, head = false): void {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const h = { "Content-Type": "text/plain; charset=utf-8", ...headers, "Content-Length": String(bytes.byteLength), Connection: "close" };
  const text = `HTTP/1.1 ${status} ${REASON[status] ?? "Status"}\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;
  if (head || !bytes.byteLength) sock.end(text);
  else {
    sock.write(text);
    sock.end(bytes);
  }
}

/** The head of an open-ended response (the event stream): the caller writes on, and ends it. */
export function sendStreamHead(sock: Socket, headers: Record<string, string>): void {
  const h = { ...headers, "Cache-Control": "no-store", Connection: "close" };
  sock.write(`HTTP/1.1 200 OK\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`);
}
