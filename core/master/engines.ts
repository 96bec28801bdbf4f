// The engines the master runs, in order. Each is a folder under core/ with a
// master side; adding one does not change the master. An engine that needs
// another gets it here, in its constructor (no lookup by name).
import type { Config } from "../config.ts";
import type { MasterEngine } from "../engine.ts";
import { MuleEngine } from "../mules/master.ts";
import { SignalEngine } from "../signals/master.ts";
import { HarakiriEngine } from "../harakiri/master.ts";
import { RpcEngine } from "../rpc/master.ts";
import { SharedEngine } from "../shared/master.ts";
import { SpoolerEngine } from "../spooler/master.ts";
import { PluginEngine } from "./plugins.ts";

export function masterEngines(config: Config): MasterEngine[] {
  const signals = new SignalEngine(config);
  return [new MuleEngine(config), signals, new HarakiriEngine(), new RpcEngine(config, signals), new SharedEngine(config), new SpoolerEngine(config), new PluginEngine(config, signals)];
}
