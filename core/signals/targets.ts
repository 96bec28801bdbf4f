// Signal targets, uWSGI's strings: "" / "worker" / "worker0" (one worker),
// "workers", "active-workers", "workerN", "mule" / "mule0" (one mule),
// "mules", "muleN", "spooler" (one spooler process), "spoolers", and a farm
// ("farm:NAME", "farm_NAME", a bare farm name as uwsgiconf writes it, or
// uWSGI's "farmN", the N-th farm).
import type { Config } from "../config.ts";
import { InvalidSignal, InvalidTarget, shown } from "../errors.ts";

export type TargetKind = "worker" | "workers" | "active-workers" | "mule" | "mules" | "spooler" | "spoolers" | "farm";

export interface SignalTarget {
  text: string; //   canonical spelling, for messages and stats
  kind: TargetKind;
  id?: number; //    workerN / muleN
  farm?: string;
}

export function checkSignalNumber(num: unknown): number {
  if (typeof num !== "number" || !Number.isInteger(num) || num < 0 || num > 255) {
    throw new InvalidSignal(`signal number must be an integer 0..255: got ${shown(num)}`);
  }
  return num;
}

/** Parses and checks a target against the configuration (which ids and farms exist). */
export function parseTarget(raw: string | undefined, config: Config | null): SignalTarget {
  const t = (raw ?? "").trim();
  const mules = config?.mules.length ?? 0;
  const workers = config?.http ? config.processes : 0;
  const spoolers = config?.spoolers.length ?? 0;
  const need = (ok: boolean, why: string) => { if (config && !ok) throw new InvalidTarget(`signal target "${t}" ${why}`); };
  let m: RegExpExecArray | null;
  if (t === "" || t === "worker" || t === "worker0") { need(workers > 0, "needs HTTP workers (--http)"); return { text: "worker", kind: "worker" }; }
  if (t === "workers" || t === "active-workers") { need(workers > 0, "needs HTTP workers (--http)"); return { text: t, kind: t }; }
  if ((m = /^worker(\d+)$/.exec(t))) {
    const id = Number(m[1]);
    need(id <= workers, `names worker ${id} but there ${workers === 1 ? "is 1 worker" : `are ${workers} workers`}`);
    return { text: t, kind: "worker", id };
  }
  if (t === "mule" || t === "mule0") { need(mules > 0, "needs a mule (--mule)"); return { text: "mule", kind: "mule" }; }
  if (t === "mules") { need(mules > 0, "needs a mule (--mule)"); return { text: t, kind: "mules" }; }
  if ((m = /^mule(\d+)$/.exec(t))) {
    const id = Number(m[1]);
    need(id <= mules, `names mule ${id} but there ${mules === 1 ? "is 1 mule" : `are ${mules} mules`}`);
    return { text: t, kind: "mule", id };
  }
  if (t === "spooler" || t === "spoolers") { need(spoolers > 0, "needs a spooler (--spooler)"); return { text: t, kind: t }; }
  const farm = t.startsWith("farm:") ? t.slice(5) : t.startsWith("farm_") ? t.slice(5) : t;
  if (config && config.farms.some((f) => f.name === farm)) return { text: `farm:${farm}`, kind: "farm", farm };
  // uWSGI's "farmN": the N-th --farm (1-based), unless a farm has that very name.
  if (config && (m = /^farm(\d+)$/.exec(t))) {
    const f = config.farms[Number(m[1]) - 1];
    if (!f) throw new InvalidTarget(`signal target "${t}" names farm ${m[1]} but there ${config.farms.length === 1 ? "is 1 farm" : `are ${config.farms.length} farms`}`);
    return { text: `farm:${f.name}`, kind: "farm", farm: f.name };
  }
  if (!config) return { text: `farm:${farm}`, kind: "farm", farm };
  throw new InvalidTarget(`unknown signal target "${t}" (one of worker, workers, active-workers, workerN, mule, mules, muleN, spooler, spoolers or a farm name)`);
}
