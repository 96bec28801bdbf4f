// Plugins in the master: onSpawn/onExit for child lifecycle, onLog for every
// log line of the instance, onSignal for every routed signal (a plugin is a
// signal target of its own: a number nobody else handles is not "lost").
import type { Config } from "../config.ts";
import { log, logSinks } from "../log.ts";
import { loadPlugins, notifyPlugins } from "../../plugins/host.ts";
import type { Plugin } from "../../plugins/sandbox/index.ts";
import type { MasterEngine, Proc, Slot } from "../engine.ts";
import type { SignalEngine } from "../signals/master.ts";

export class PluginEngine implements MasterEngine {
  name = "plugins";
  private plugins: Plugin[] = [];

  /** `signals` routes the signals plugins raise and tells them of every routed one. */
  constructor(private config: Config, private signals: SignalEngine) {}

  async start() {
    if (!this.config.plugins.length) return;
    const signals = this.signals;
    this.plugins = await loadPlugins(this.config, ["onLog", "onSpawn", "onExit", "onSignal"], {
      raiseSignal: (_s, num) => { signals.route(num, "plugin"); },
    });
    const has = (h: string) => this.plugins.some((p) => p.hooks.includes(h as any));
    if (has("onLog")) logSinks.push((line) => void notifyPlugins(this.plugins, "onLog", line));
    if (has("onSignal")) signals.observers.push((num) => void notifyPlugins(this.plugins, "onSignal", num));
    if (this.plugins.length) log(`plugins in the master: ${this.plugins.map((p) => `${p.manifest.name} (${p.hooks.join(", ")})`).join("; ")}`);
  }

  attach(slot: Slot, proc: Proc) {
    if (this.plugins.length) void notifyPlugins(this.plugins, "onSpawn", { role: slot.role, id: slot.id, pid: proc.pid });
  }

  detach(slot: Slot, proc: Proc) {
    if (this.plugins.length) void notifyPlugins(this.plugins, "onExit", { role: slot.role, id: slot.id, pid: proc.pid, code: proc.child.exitCode, signal: proc.child.signalCode });
  }

  stats(doc: Record<string, any>) {
    if (this.plugins.length) doc.plugins = this.plugins.map((p) => p.stats());
  }

  stop() {
    for (const p of this.plugins) p.dispose();
  }
}
