import assert from "node:assert/strict";
import { createConnection, createServer, type Server } from "node:net";
import { test } from "../../harness.ts";
import { type Req, readRequest, send } from "../../../core/dashboard/http.ts";

/** A server that answers each request with its method, path and body; `talk` sends chunks with pauses and returns the raw answer. */
async function withServer(fn: (talk: (chunks: string[]) => Promise<string>) => Promise<void>) {
  const server: Server = createServer((sock) => readRequest(sock, (req: Req) => send(sock, 200, {}, `${req.method} ${req.path} ${req.query.get("q")} ${new TextDecoder().decode(req.body)}`)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as any).port;
  const talk = (chunks: string[]) => new Promise<string>((resolve, reject) => {
    const s = createConnection(port, "127.0.0.1");
    let out = "";
    s.on("data", (d) => (out += d));
    s.on("end", () => resolve(out));
    s.on("error", reject);
    (async () => { for (const c of chunks) { s.write(c); await new Promise((r) => setTimeout(r, 20)); } })();
  });
  try { await fn(talk); } finally { server.close(); }
}

test("a request split across packets is read whole (head and body); an oversized head gets 431, an oversized body 413, a garbled request line 400", () =>
  withServer(async (talk) => {
    const whole = await talk(["POST /api/x?q=1 HT", "TP/1.1\r\nContent-Le", "ngth: 7\r\n\r\n{\"a\"", ":1}"]);
    assert.match(whole, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(whole, /\r\n\r\nPOST \/api\/x 1 \{"a":1\}$/);
    assert.match(whole, /Connection: close/);
    assert.match(await talk([`GET / HTTP/1.1\r\nX: ${"a".repeat(20000)}`]), /^HTTP\/1\.1 431 /);
    assert.match(await talk(["POST / HTTP/1.1\r\nContent-Length: 999999\r\n\r\n"]), /^HTTP\/1\.1 413 /);
    assert.match(await talk(["hello there\r\n\r\n"]), /^HTTP\/1\.1 400 /);
    assert.match(await talk(["GET / HTTP/1.0\r\n\r\n"]), /\r\n\r\nGET \/ null $/, "mulefarm status's request");
  }));
