// `mulefarm status|signal --stats ADDR` waited forever when ADDR accepted the
// connection and never answered (another service, a stuck proxy), and a
// JSON server that was not mulefarm's gave a table of "undefined" or an
// internal error. Both end with one line now.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { test } from "../../harness.ts";
import { run } from "../lib.ts";

function serve(onConn: (s: import("node:net").Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onConn);
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r({ server, port: (server.address() as any).port })));
}

test("status and signal against a server that never answers exit 1 within seconds, naming the address", async () => {
  const held: import("node:net").Socket[] = [];
  const { server, port } = await serve((s) => { held.push(s); });
  try {
    for (const args of [["status", "--stats", `127.0.0.1:${port}`], ["signal", "17", "--stats", `127.0.0.1:${port}`]]) {
      const t = Date.now();
      const r = await run(args, { timeoutMs: 20000 });
      assert.equal(r.code, 1, `${args.join(" ")}: ${r.output}`);
      assert.equal(r.output.trim(), `mulefarm: the stats server at 127.0.0.1:${port} did not answer within 5 s (is it a mulefarm --stats address?)`);
      assert.ok(Date.now() - t < 12000, `took ${Date.now() - t} ms`);
    }
  } finally { for (const s of held) s.destroy(); server.close(); }
}, 60000);

test("status and signal against a JSON server that is not mulefarm's exit 2 saying so", async () => {
  const { server, port } = await serve((s) => s.end('{"hello":1}'));
  try {
    const st = await run(["status", "--stats", `127.0.0.1:${port}`]);
    assert.equal(st.code, 2, st.output);
    assert.equal(st.output.trim(), `mulefarm: 127.0.0.1:${port} is not the stats server of a mulefarm instance (its document has no pid)`);
    const sg = await run(["signal", "17", "--stats", `127.0.0.1:${port}`]);
    assert.equal(sg.code, 2, sg.output);
    assert.equal(sg.output.trim(), `mulefarm: 127.0.0.1:${port} is not the stats server of a mulefarm instance (its document has no runtime_dir)`);
  } finally { server.close(); }
});
