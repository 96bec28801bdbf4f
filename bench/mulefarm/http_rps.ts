// Workload 7: http_rps (see ../shared/bench/WORKLOADS.md).
// dist/mulefarm --http 127.0.0.1:PORT --processes 2 serving an app that
// answers "ok"; wrk -t2 -c50 -dDs --latency --timeout 5s on loopback. At D/2
// the listening socket's accept queue is read from /proc/net/tcp.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { caseFn, envInt, freePort, runCases, Server, sleep, stats, withServer, type Case } from "./lib.ts";

const DURATION = envInt("BENCH_HTTP_DURATION_S", 10);
const CONNS = envInt("BENCH_HTTP_CONNECTIONS", 50);
const THREADS = 2;
const UNIT: Record<string, number> = { us: 1e-3, ms: 1, s: 1e3 };

function ms(text: string): number | null {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  return m ? Math.round(Number(m[1]) * UNIT[m[2]] * 1000) / 1000 : null;
}

export function parseWrk(out: string) {
  const r: Record<string, any> = { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]) };
  for (const p of ["50", "75", "90", "99"]) {
    const m = new RegExp(`^\\s+${p}(?:\\.000)?%\\s+(\\S+)`, "m").exec(out);
    r[`p${p}_ms`] = m ? ms(m[1]) : null;
  }
  r.requests = Number(/(\d+) requests in ([\d.]+)(\w+)/.exec(out)![1]);
  const se = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  r.socket_errors = se ? { connect: +se[1], read: +se[2], write: +se[3], timeout: +se[4] } : null;
  const n2 = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  r.non_2xx = n2 ? Number(n2[1]) : 0;
  return r;
}

/** Connections waiting in the listen socket's accept queue (rx_queue of the LISTEN row). */
export function acceptQueue(port: number): number | null {
  const want = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  let total: number | null = null;
  for (const file of ["/proc/net/tcp"]) {
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const c = line.trim().split(/\s+/);
      // with SO_REUSEPORT every worker has its own LISTEN socket: sum them
      if (c[1] === want && c[3] === "0A") total = (total ?? 0) + parseInt(c[4].split(":")[1], 16);
    }
  }
  return total;
}

function listenSockets(port: number): number {
  const want = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  return readFileSync("/proc/net/tcp", "utf8").split("\n").filter((l) => { const c = l.trim().split(/\s+/); return c[1] === want && c[3] === "0A"; }).length;
}

function hcase(name: string, duration: number) {
  return caseFn(name, async (): Promise<Case> => {
    // --stats only to read per-worker request counts afterwards (idle during the load)
    const sport = await freePort();
    const args = ["--http", "127.0.0.1:{port}", "--processes", "2", "--module", "{apps}/hello_app.ts", "--stats", `127.0.0.1:${sport}`];
    return await withServer(new Server(`http-${name}`, args), async (u) => {
      await u.waitHttp();
      const cmd = ["wrk", `-t${THREADS}`, `-c${CONNS}`, `-d${duration}s`, "--latency", "--timeout", "5s", `http://127.0.0.1:${u.port}/`];
      const w = spawn(cmd[0], cmd.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
      let out = "", err = "";
      w.stdout.on("data", (d) => (out += d));
      w.stderr.on("data", (d) => (err += d));
      const done = new Promise<number | null>((res) => w.on("exit", (code) => res(code)));
      w.on("error", (e) => { err += String(e); });
      let backlog: number | null = null, listeners = 0;
      try {
        await sleep((duration / 2) * 1000);
        backlog = acceptQueue(u.port);
        listeners = listenSockets(u.port);
        const code = await Promise.race([done, sleep((duration + 15) * 1000).then(() => "timeout" as const)]);
        if (code === "timeout") throw new Error("wrk did not finish in time");
        if (code !== 0) throw new Error(`wrk failed (rc=${code}): ${err.trim().slice(0, 500)}`);
      } finally {
        if (w.exitCode === null) { w.kill("SIGKILL"); await done; }
      }
      const st = await stats(sport);
      const perWorker = st?.workers?.map((w: any) => w.requests ?? null) ?? null;
      const r = parseWrk(out);
      const rps = r.rps;
      delete r.rps;
      return {
        name, ok: r.non_2xx === 0,
        params: { duration_s: duration, connections: CONNS, wrk_threads: THREADS, workers: 2,
          server: "every worker listens on the port itself (SO_REUSEPORT), keep-alive on; no router process",
          listen_sockets_mid_run: listeners },
        rps: Math.round(rps), ...r, unaccepted_connections_mid_run: backlog, per_worker_requests: perWorker,
        command: u.command().replace(`127.0.0.1:${sport}`, "127.0.0.1:$SPORT"), load: cmd.slice(0, -1).join(" ") + " http://127.0.0.1:PORT/",
      };
    });
  });
}

if (import.meta.main) {
  await runCases("http_rps", [hcase("http_router", DURATION)], envInt("BENCH_DEADLINE_S", DURATION + 40));
}
