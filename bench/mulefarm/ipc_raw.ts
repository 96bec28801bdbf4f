// Workload 8: ipc_raw (see ../shared/bench/WORKLOADS.md; mulefarm only).
// Wraps `dist/mulefarm bench-ipc`: master -> 1 child, N = 1 000 000 frames of
// 32 B through the framed IPC, and the same records over a plain Unix socket
// with 64 KiB writes as the reference. Runs it RUNS times (the machine is
// noisy) and reports the run with the median frames_per_s, plus every run.
import { spawn } from "node:child_process";
import { BIN, caseFn, cleanEnv, envInt, median, runCases, type Case } from "./lib.ts";

const RUNS = envInt("BENCH_IPC_RUNS", 3);
const FRAMES = envInt("BENCH_IPC_FRAMES", 1_000_000);

function once(): Promise<any> {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ["bench-ipc", "--frames", String(FRAMES), "--size", "32"], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => { p.kill("SIGKILL"); reject(new Error("bench-ipc timed out after 30 s")); }, 30_000);
    p.on("exit", (code) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").pop() ?? "";
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(line));
      } catch (e) {
        reject(new Error(`bench-ipc failed (${e}): ${(err || out).slice(-500)}`));
      }
    });
  });
}

await runCases("ipc_raw", [caseFn("32B", async (): Promise<Case> => {
  const runs: any[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once());
  const m = median(runs.map((r) => r.frames_per_s));
  const pick = runs.reduce((a, r) => (Math.abs(r.frames_per_s - m) < Math.abs(a.frames_per_s - m) ? r : a));
  return {
    name: "32B", ok: runs.every((r) => r.lost === 0),
    params: { frames: FRAMES, size: 32, runs: RUNS, topology: "master -> 1 child, framed IPC (one send() per frame)", reported: "run with the median frames_per_s" },
    frames_per_s: pick.frames_per_s, raw_socket_per_s: pick.raw_socket_per_s, ratio_to_raw: pick.ratio_to_raw,
    lost: runs.reduce((a, r) => a + r.lost, 0), received: pick.received,
    frames_per_s_runs: runs.map((r) => r.frames_per_s), raw_socket_per_s_runs: runs.map((r) => r.raw_socket_per_s),
    command: "dist/mulefarm bench-ipc",
  };
})], envInt("BENCH_DEADLINE_S", 60));
