// A small OTLP/HTTP receiver for the trace tests: a node:http server on a
// free loopback port that takes what the real exporter POSTs to /v1/traces
// (JSON, gzip or not) and keeps the spans, each with its resource's
// attributes flattened next to it.
import { createServer, type Server } from "node:http";
import { gunzipSync } from "node:zlib";

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP's SpanKind number: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  status?: { code?: number; message?: string };
}

export interface Receiver {
  url: string;
  spans: ReceivedSpan[];
  /** Every request the receiver got (method and path), to prove nothing was sent. */
  requests: string[];
  close(): Promise<void>;
}

function value(v: any): unknown {
  if (!v) return undefined;
  if ("stringValue" in v) return v.stringValue;
  if ("intValue" in v) return Number(v.intValue);
  if ("doubleValue" in v) return v.doubleValue;
  if ("boolValue" in v) return v.boolValue;
  if ("arrayValue" in v) return (v.arrayValue.values ?? []).map(value);
  return v;
}

function attrs(list: any[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of list ?? []) out[a.key] = value(a.value);
  return out;
}

/** Starts the receiver on 127.0.0.1 (`port` 0: a free one). */
export function startReceiver(port = 0): Promise<Receiver> {
  const spans: ReceivedSpan[] = [];
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (d) => chunks.push(d));
    req.on("end", () => {
      requests.push(`${req.method} ${req.url}`);
      try {
        let body = Buffer.concat(chunks);
        if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
        const doc = JSON.parse(body.toString("utf8"));
        for (const rs of doc.resourceSpans ?? []) {
          const resource = attrs(rs.resource?.attributes);
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              spans.push({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, kind: s.kind, attributes: attrs(s.attributes), resource, status: s.status });
            }
          }
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      } catch (e) {
        res.writeHead(400, { "content-type": "text/plain" });
        res.end(String(e));
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const p = (server.address() as any).port;
      resolve({ url: `http://127.0.0.1:${p}`, spans, requests, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

/** A fresh W3C trace id / span id (hex). */
export function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}
