import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { RUNTIME, until } from "../lib.ts";
import { startDashboard } from "./dash-lib.ts";

test(`the page's event stream (${RUNTIME}) starts with history and state, ticks every second, and reports a killed mule's exit with its reason and its respawn`, async () => {
  const d = await startDashboard();
  const ac = new AbortController();
  try {
    const r = await fetch(`${d.base}/events`, { signal: ac.signal });
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /^text\/event-stream/);
    const reader = r.body!.getReader();
    let text = "";
    const events: Array<{ event: string; data: any }> = [];
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
        let i;
        while ((i = text.indexOf("\n\n")) >= 0) {
          const block = text.slice(0, i);
          text = text.slice(i + 2);
          const ev = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
        }
      }
    })().catch(() => {});
    const hello = await until(() => events.find((e) => e.event === "hello"), 10000, "hello");
    assert.ok(hello.data.events.some((e: any) => e.kind === "spawn" && /spawned mule 1/.test(e.text)), "the spawns so far");
    const mule = hello.data.state.processes.find((p: any) => p.role === "mule" && p.id === 1);
    assert.ok(mule.pid > 0);
    await until(() => events.filter((e) => e.event === "tick").length >= 2, 10000, "two ticks");

    process.kill(mule.pid, "SIGKILL");
    const exit = await until(() => events.find((e) => e.event === "log" && e.data.text.includes(`(pid ${mule.pid}) killed by SIGKILL`)), 15000, "the exit");
    assert.equal(exit.data.kind, "respawn");
    await until(() => events.find((e) => e.event === "log" && e.data.kind === "spawn" && e.data.text.startsWith("spawned mule 1 (pid ") && !e.data.text.includes(`(pid ${mule.pid})`)), 15000, "the respawn");
    await until(() => events.some((e) => e.event === "tick" && e.data.state.processes.some((p: any) => p.role === "mule" && p.id === 1 && p.respawns === 1 && p.pid !== mule.pid)), 15000, "the table shows the new pid and one respawn");
    ac.abort();
    await pump;
  } finally {
    ac.abort();
    await d.mf.stop();
  }
}, 60000);
