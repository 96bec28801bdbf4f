import { existsSync, readFileSync } from "node:fs";
import { freePort, start, stats, tmp, until, type Instance } from "./lib.ts";

export interface SigInstance { mf: Instance; out: string; port: number; sport: number; lines(what?: string): string[][] }

/** 2 workers + the given mules, tasks.ts imported everywhere, app.ts serving /raise/N. */
export async function startSignals(extra: string[], env: Record<string, string> = {}, workers = 2): Promise<SigInstance> {
  const [port, sport] = [await freePort(), await freePort()];
  const out = tmp("mf-sig-");
  const mf = start(["--http", `127.0.0.1:${port}`, "-p", String(workers), "--module", "test/fixtures/signals/app.ts", "--import", "test/fixtures/signals/tasks.ts", "--stats", `127.0.0.1:${sport}`, ...extra], { env: { OUT: out, ...env } });
  await until(async () => {
    const d = await stats(sport);
    return [...d.workers, ...d.mules].every((x: any) => x.status === "idle") && (d.signals?.length ?? 0) >= 5;
  }, 20000, "instance ready with signals registered");
  const lines = (what?: string) => {
    const f = `${out}/signals.log`;
    if (!existsSync(f)) return [];
    return readFileSync(f, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split(" ")).filter((p) => !what || p[0] === what);
  };
  return { mf, out, port, sport, lines };
}

export async function raise(port: number, n: number) {
  const r = await fetch(`http://127.0.0.1:${port}/raise/${n}`);
  return r.text();
}
