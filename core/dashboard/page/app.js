// mulefarm's live page: one EventSource on /events feeds the tables, the
// master's event log and the uPlot charts; actions are POSTs that carry the
// control token (from the URL's #token=..., kept in sessionStorage, or typed).
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];
  const TOKEN_KEY = "mulefarm-token";
  let token = sessionStorage.getItem(TOKEN_KEY) || "";
  let samples = [];
  let state = null;
  const charts = new Map();
  const failedSeen = new Map();

  // --- token -----------------------------------------------------------
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    token = decodeURIComponent(m[1]);
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, "", location.pathname + location.search);
  }
  const showLock = () => { $("lock").textContent = token ? "actions unlocked" : "actions locked"; $("lock").className = token ? "ok" : "muted"; };
  $("tokenForm").addEventListener("submit", (e) => {
    e.preventDefault();
    token = $("token").value.trim();
    $("token").value = "";
    if (token) sessionStorage.setItem(TOKEN_KEY, token); else sessionStorage.removeItem(TOKEN_KEY);
    showLock();
  });
  showLock();

  const say = (text, bad) => { const el = $("msg"); el.textContent = text; el.className = bad ? "bad" : "ok"; };

  // --- formatting ------------------------------------------------------
  const bytes = (n) => (n == null ? "–" : n >= 1 << 30 ? (n / (1 << 30)).toFixed(1) + " GiB" : (n / (1 << 20)).toFixed(1) + " MiB");
  const dur = (s) => {
    if (s == null) return "–";
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
    if (s < 86400) return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
    return Math.floor(s / 86400) + " d " + Math.floor((s % 86400) / 3600) + " h";
  };
  const short = (v) => (v == null ? "" : Math.abs(v) >= 1e6 ? +(v / 1e6).toFixed(1) + "M" : Math.abs(v) >= 1e3 ? +(v / 1e3).toFixed(1) + "k" : +v.toFixed(2) + "");
  const clock = (t) => (t == null ? "–" : new Date(t).toLocaleTimeString([], { hour12: false }));
  const when = (iso) => {
    if (!iso) return "–";
    const ms = Date.parse(iso) - Date.now();
    const rel = Math.abs(ms) < 1000 ? "now" : ms > 0 ? "in " + dur(Math.round(ms / 1000)) : dur(Math.round(-ms / 1000)) + " ago";
    return clock(Date.parse(iso)) + " (" + rel + ")";
  };

  // --- tables (text only: nothing from the instance becomes HTML) -------
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }
  function table(id, cols, rows, empty) {
    const t = $(id);
    t.replaceChildren();
    if (!rows.length) { const tr = el("tr"); const td = el("td", "muted", empty || "none"); tr.append(td); t.append(tr); return; }
    const hr = el("tr");
    for (const c of cols) hr.append(el("th", c.num ? "num" : "", c.h));
    t.append(hr);
    for (const r of rows) {
      const tr = el("tr");
      for (const c of cols) {
        const v = c.v(r);
        const td = el("td", c.num ? "num" : c.cls || "");
        if (v instanceof Node) td.append(v); else td.textContent = v == null ? "–" : String(v);
        tr.append(td);
      }
      t.append(tr);
    }
  }
  const badge = (s) => el("span", "badge s-" + String(s).replace(/[^a-z]/g, ""), s);

  function render() {
    const s = state;
    $("inst").textContent = "v" + s.instance.version + " · " + s.instance.runtime + " · master pid " + s.instance.pid + " · up " + dur(Math.round(s.now / 1000 - s.instance.started_on));
    table("procs", [
      { h: "role", v: (r) => r.role }, { h: "id", v: (r) => r.id, cls: "id" }, { h: "pid", v: (r) => r.pid || "–", num: true },
      { h: "status", v: (r) => badge(r.status) }, { h: "uptime", v: (r) => dur(r.uptime), num: true },
      { h: "RSS", v: (r) => bytes(r.rss), num: true }, { h: "PSS", v: (r) => bytes(r.pss), num: true },
      { h: "respawns", v: (r) => r.respawns, num: true }, { h: "harakiri", v: (r) => r.harakiri, num: true }, { h: "work done", v: (r) => r.work },
    ], s.processes);
    const parked = s.queues.some((q) => q.parked != null) ? [{ h: "parked", v: (q) => q.parked, num: true }] : [];
    table("queues", [{ h: "queue", v: (q) => q.name }, { h: "depth", v: (q) => q.depth, num: true }, ...parked], s.queues, "no mules");
    table("signals", [
      { h: "signal", v: (x) => x.num, num: true }, { h: "target", v: (x) => x.target }, { h: "handlers", v: (x) => x.handlers, num: true },
      { h: "raised", v: (x) => x.raised, num: true }, { h: "delivered", v: (x) => x.delivered, num: true }, { h: "refused", v: (x) => x.refused, num: true },
      ...(s.signals.some((x) => x.parked != null) ? [{ h: "parked", v: (x) => x.parked, num: true }] : []),
    ], s.signals, "no signal registered");
    table("timers", [
      { h: "signal", v: (x) => x.signal, num: true }, { h: "kind", v: (x) => x.kind }, { h: "every", v: (x) => x.interval_s + " s" },
      { h: "ticks", v: (x) => x.fired, num: true }, { h: "last run", v: (x) => when(x.last) }, { h: "next run", v: (x) => when(x.next) },
    ], s.timers, "no timer");
    table("crons", [
      { h: "schedule", v: (x) => x.schedule }, { h: "runs", v: (x) => (x.signal != null ? "signal " + x.signal : x.command) },
      { h: "fired", v: (x) => x.fired, num: true }, { h: "skips", v: (x) => x.skipped, num: true },
      { h: "last run", v: (x) => when(x.last) }, { h: "next run", v: (x) => when(x.next) },
    ], s.crons, "no cron");
    table("caches", [
      { h: "cache", v: (c) => c.name }, { h: "items", v: (c) => c.items + " / " + c.max_items, num: true },
      { h: "hits", v: (c) => c.hits, num: true }, { h: "misses", v: (c) => c.miss, num: true }, { h: "full", v: (c) => c.full, num: true },
      { h: "evicted", v: (c) => c.evicted, num: true },
    ], s.caches, "no cache");
    table("locks", [{ h: "lock", v: (l) => l.name }, { h: "held by pid", v: (l) => (l.held ? l.held : "free"), num: true }], s.locks, "no lock");
    renderSpoolers();
    $("parkedCard").hidden = s.parked == null;
    if (s.parked != null && parkedSeen !== s.parked) { parkedSeen = s.parked; loadParked(); }
  }

  // --- parked (poison) messages: list, resend ----------------------------
  let parkedSeen = null;
  async function loadParked() {
    const r = await fetch("/api/parked");
    if (!r.ok) return;
    const d = await r.json();
    const rows = [...((d.mules && d.mules.parked) || []), ...((d.signals && d.signals.parked) || [])].sort((a, b) => a.id - b.id);
    const ever = ((d.mules && d.mules.total) || 0) + ((d.signals && d.signals.total) || 0);
    $("parkedCount").textContent = rows.length + " parked now, " + ever + " ever (a mule died holding each one past --mule-max-redeliveries)";
    table("parked", [
      { h: "#", v: (p) => p.id, num: true }, { h: "kind", v: (p) => (p.kind === "signal" ? "signal " + p.type : p.kind) }, { h: "for", v: (p) => p.target },
      { h: "from pid", v: (p) => p.sender || "–", num: true }, { h: "size", v: (p) => (p.size != null ? p.size + " B" : "–"), num: true },
      { h: "deliveries", v: (p) => p.deliveries, num: true }, { h: "last held by", v: (p) => p.holder }, { h: "parked at", v: (p) => clock(p.at) },
      { h: "preview", v: (p) => p.preview, cls: "id" },
      { h: "", v: (p) => { const b = el("button", "", "Resend"); b.addEventListener("click", () => resend([p.id])); return b; } },
    ], rows, "no parked message");
  }
  async function resend(ids) {
    const r = await post("/api/parked/resend", { ids });
    if (r.status === 403) return say("Refused (403): resending needs the instance's control token. Unlock with the token above.", true);
    if (!r.ok) return say("resend failed: " + (await r.text()), true);
    say((await r.json()).ok + " parked message(s) sent again", false);
    parkedSeen = null;
    loadParked();
  }
  $("resendAll").addEventListener("click", () => resend("all"));

  // --- spoolers: counts, failed tasks, detail, retry, purge --------------
  function renderSpoolers() {
    const list = $("spoolList");
    if (!state.spoolers.length) { list.replaceChildren(el("p", "muted", "no spooler")); return; }
    state.spoolers.forEach((sp, i) => {
      let box = document.getElementById("spool-" + i);
      if (!box) {
        box = el("div", "spooler");
        box.id = "spool-" + i;
        const head = el("div", "spoolHead");
        head.append(el("span", "dir"), el("span", "counts muted"), el("span", "grow"));
        const retryAll = el("button", "", "Retry all failed");
        retryAll.addEventListener("click", () => act(i, "retry", { id: "all" }));
        const purge = el("button", "danger", "Purge failed");
        purge.addEventListener("click", () => { if (confirm("Delete every failed task of " + sp.dir + "?")) act(i, "purge", {}); });
        head.append(retryAll, purge);
        const t = el("table", "failed");
        t.id = "failed-" + i;
        box.append(head, t);
        list.append(box);
      }
      box.querySelector(".dir").textContent = sp.dir;
      box.querySelector(".counts").textContent = sp.pending + " pending · " + sp.running + " running · " + sp.failed + " failed · " + sp.quarantined + " quarantined · " + sp.tasks + " tasks run";
      if (failedSeen.get(i) !== sp.failed) { failedSeen.set(i, sp.failed); loadFailed(i); }
    });
  }

  async function loadFailed(i) {
    const r = await fetch("/api/spoolers/" + i + "/failed");
    if (!r.ok) return;
    const f = await r.json();
    table("failed-" + i, [
      { h: "failed task", v: (t) => { const a = el("a", "id", t.id); a.href = "#"; a.addEventListener("click", (e) => { e.preventDefault(); detail(i, t.id); }); return a; } },
      { h: "function", v: (t) => t.name }, { h: "attempts", v: (t) => t.attempts, num: true },
      { h: "error", v: (t) => t.error, cls: "err" }, { h: "failed at", v: (t) => (t.failedAt ? new Date(t.failedAt).toLocaleString() : "–") },
      { h: "", v: (t) => { const b = el("button", "retry", "Retry"); b.dataset.id = t.id; b.addEventListener("click", () => act(i, "retry", { id: t.id })); return b; } },
    ], f.rows, "no failed task");
  }

  async function detail(i, id) {
    const r = await fetch("/api/spoolers/" + i + "/tasks/" + encodeURIComponent(id));
    const pre = $("taskDetail");
    pre.hidden = false;
    pre.textContent = r.ok ? JSON.stringify(await r.json(), null, 2) : "task " + id + " is gone";
  }

  $("reload").addEventListener("click", async () => {
    const r = await post("/api/reload", {});
    if (r.status === 403) return say("Refused (403): reloading needs the instance's control token. Unlock with the token above.", true);
    say(r.ok ? "graceful reload requested: follow it in the master events" : "reload failed: " + (await r.text()), !r.ok);
  });

  function post(path, body) {
    return fetch(path, { method: "POST", headers: { "Content-Type": "application/json", "X-Mulefarm-Token": token }, body: JSON.stringify(body) });
  }

  async function act(i, what, body) {
    const r = await post("/api/spoolers/" + i + "/" + what, body);
    if (r.status === 403) return say("Refused (403): this action needs the instance's control token. Unlock with the token above.", true);
    if (!r.ok) return say(what + " failed: " + (await r.text()), true);
    const { ok } = await r.json();
    say(what === "purge" ? ok + " failed task(s) deleted" : ok + " failed task(s) queued again", false);
    $("taskDetail").hidden = true; // the task it showed has moved
    failedSeen.delete(i);
    loadFailed(i);
  }

  // --- master events ------------------------------------------------------
  function addEvents(list) {
    const ol = $("events");
    const atEnd = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 30;
    for (const e of list) {
      const li = el("li", "k-" + e.kind);
      li.append(el("time", "", clock(e.t)), el("span", "kind", e.kind), el("span", "", e.text));
      ol.append(li);
    }
    while (ol.children.length > 500) ol.firstChild.remove();
    if (atEnd) ol.scrollTop = ol.scrollHeight;
  }

  // --- charts -----------------------------------------------------------------
  // Each chart: series keys from the latest sample, values picked per sample.
  const CHARTS = [
    { id: "rps", title: "requests/s per worker", keys: (s) => Object.keys(s.w).map((k) => ["worker " + k, (x) => x.w[k] && x.w[k][0]]) },
    { id: "latency", title: "request latency per worker, ms (p50, p99)", keys: (s) => Object.keys(s.w).flatMap((k) => [["w" + k + " p50", (x) => x.w[k] && x.w[k][1]], ["w" + k + " p99", (x) => x.w[k] && x.w[k][3]]]) },
    { id: "mps", title: "messages/s per mule", keys: (s) => Object.keys(s.m).map((k) => ["mule " + k, (x) => x.m[k] && x.m[k][0]]) },
    { id: "queues", title: "queue depth (mules, farms, shared)", keys: (s) => [...Object.keys(s.m).map((k) => ["mule " + k, (x) => x.m[k] && x.m[k][1]]), ...Object.keys(s.q).map((k) => [k === "shared" ? "shared" : "farm " + k, (x) => x.q[k]])] },
    { id: "tps", title: "spooler tasks/s", keys: (s) => Object.keys(s.s).map((k) => ["spooler " + k, (x) => x.s[k] && x.s[k][0]]) },
    { id: "backlog", title: "spooler pending / running / failed", keys: (s) => Object.keys(s.s).flatMap((k) => [["s" + k + " pending", (x) => x.s[k] && x.s[k][1]], ["s" + k + " running", (x) => x.s[k] && x.s[k][2]], ["s" + k + " failed", (x) => x.s[k] && x.s[k][3]]]) },
    { id: "wait", title: "spooler due→start wait, ms (p50, p95)", keys: (s) => Object.keys(s.s).flatMap((k) => [["s" + k + " p50", (x) => x.s[k] && x.s[k][4]], ["s" + k + " p95", (x) => x.s[k] && x.s[k][5]]]) },
  ];

  function drawCharts() {
    if (!samples.length || !window.uPlot) return;
    const last = samples[samples.length - 1];
    const grid = $("charts");
    for (const c of CHARTS) {
      const keys = c.keys(last);
      const sig = keys.map((k) => k[0]).join("|");
      let ch = charts.get(c.id);
      if (!keys.length) { if (ch) { ch.box.remove(); charts.delete(c.id); } continue; }
      const data = [samples.map((x) => x.t), ...keys.map(([, pick]) => samples.map((x) => { const v = pick(x); return v == null ? null : v; }))];
      if (!ch || ch.sig !== sig) {
        if (ch) ch.plot.destroy();
        const box = ch ? ch.box : el("div", "chart");
        if (!ch) { box.id = "chart-" + c.id; box.append(el("h3", "", c.title)); grid.append(box); }
        const plot = new uPlot({
          width: Math.max(240, box.clientWidth - 4), height: 170,
          scales: { x: { time: true }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
          series: [{}, ...keys.map(([label], n) => ({ label, stroke: COLORS[n % COLORS.length], width: 1.5, spanGaps: false, points: { show: false } }))],
          axes: [{ stroke: "#6b7280", grid: { stroke: "#eef0f3" }, ticks: { stroke: "#e5e7eb" }, values: (u, splits) => splits.map((t) => clock(t * 1000)), space: 70, incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300] }, { stroke: "#6b7280", grid: { stroke: "#eef0f3" }, ticks: { stroke: "#e5e7eb" }, size: 50, values: (u, splits) => splits.map(short) }],
          legend: { live: false },
          cursor: { drag: { x: false, y: false } },
        }, data, box);
        ch = { plot, box, sig };
        charts.set(c.id, ch);
      } else ch.plot.setData(data);
      ch.box.dataset.points = String(samples.length);
      ch.box.dataset.last = JSON.stringify(data.slice(1).map((ys) => ys[ys.length - 1]));
    }
  }
  window.addEventListener("resize", () => { for (const ch of charts.values()) ch.plot.setSize({ width: Math.max(240, ch.box.clientWidth - 4), height: 170 }); });

  // --- the stream -----------------------------------------------------------------
  const HISTORY_S = 300;
  function connect() {
    const es = new EventSource("/events");
    es.addEventListener("open", () => { $("conn").textContent = "live"; $("conn").className = "conn on"; });
    es.addEventListener("error", () => { $("conn").textContent = "reconnecting…"; $("conn").className = "conn off"; });
    es.addEventListener("hello", (e) => {
      const d = JSON.parse(e.data);
      samples = d.samples;
      state = d.state;
      $("events").replaceChildren();
      addEvents(d.events);
      render();
      drawCharts();
    });
    es.addEventListener("tick", (e) => {
      const d = JSON.parse(e.data);
      samples.push(d.sample);
      const cut = d.sample.t - HISTORY_S;
      while (samples.length && samples[0].t < cut) samples.shift();
      state = d.state;
      render();
      drawCharts();
    });
    es.addEventListener("log", (e) => addEvents([JSON.parse(e.data)]));
  }
  connect();
})();
