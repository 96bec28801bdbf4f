// The engines the master runs, in order. Each is a folder under core/ with a
// master side; adding one does not change the master.
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
  return [new MuleEngine(config), new SignalEngine(config), new HarakiriEngine(), new RpcEngine(config), new SharedEngine(config), new SpoolerEngine(config), new PluginEngine(config)];
}
