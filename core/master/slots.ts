// The positions the master keeps filled, from the configuration: workers,
// process mules, one host for every light mule, and spoolers.
import { type Config, isLightMule } from "../config.ts";
import type { Role } from "../ipc/types.ts";
import type { Slot } from "../engine.ts";

export function newSlot(role: Role, id: number, meta: Record<string, unknown> = {}): Slot {
  return { role, id, meta, current: null, old: [], respawnCount: 0, quickDeaths: 0, lastSpawn: 0, stats: {}, status: "starting" };
}

export function slotsFor(config: Config): Slot[] {
  const slots: Slot[] = [];
  if (config.http) for (let i = 1; i <= config.processes; i++) slots.push(newSlot("worker", i));
  for (const m of config.mules) if (!isLightMule(m)) slots.push(newSlot("mule", m.id, { spec: m.spec }));
  // Sandboxed light mules all live in one host process.
  const light = config.mules.filter(isLightMule);
  if (light.length) slots.push(newSlot("mulehost", 1, { mules: light }));
  let sid = 0;
  for (const dir of config.spoolers) for (let i = 0; i < config.spoolerProcesses; i++) slots.push(newSlot("spooler", ++sid, { dir }));
  return slots;
}
