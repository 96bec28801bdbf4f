// The master's side of uWSGI names that need one shared answer: the 256
// option slots of get_option/set_option (uwsgi.shared->options) and the
// instance's ready flag (ushared->ready); and the stats' per-process uWSGI
// counters a dead process leaves behind.
import type { MasterApi, MasterEngine, Proc, Slot } from "../engine.ts";

export class CompatEngine implements MasterEngine {
  name = "compat";
  // uWSGI keeps them as uint32 and masks the index to a byte.
  private options = new Uint32Array(256);
  private api?: MasterApi;
  private wasReady = false;

  start(api: MasterApi) {
    this.api = api;
  }

  /**
   * A worker's current process is gone: what it was doing goes with it (the
   * slot's counters are the last process's until its successor pushes, and a
   * successor pushes only on a change: it must not show a dead request as busy).
   */
  detach(slot: Slot, proc: Proc) {
    if (slot.current !== proc) return;
    slot.stats.in_request = 0;
    delete slot.stats.accepting;
  }

  /** Every process has started and said it is ready; once true it stays true (reloads included), as in uWSGI. */
  ready(): boolean {
    if (!this.wasReady && this.api) this.wasReady = this.api.slots.every((s: Slot) => s.parked || s.current?.ready === true);
    return this.wasReady;
  }

  requests = {
    "option.get": (_s: Slot, a: { index: number }) => this.options[a.index & 255],
    "option.set": (_s: Slot, a: { index: number; value: number }) => {
      this.options[a.index & 255] = a.value;
      return a.value;
    },
    "instance.ready": () => this.ready(),
  };
}
