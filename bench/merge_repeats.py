#!/usr/bin/env python3
"""Merge repeated runs of a workload into one result line (used by run.sh).

    merge_repeats.py FILE.jsonl > merged.jsonl    # one workload JSON object per line

Lines of the same workload are merged case by case: the case kept is the
repetition whose headline metric is the median (so every figure of a kept case
comes from one consistent run), and the case gains `repeats` (how many runs)
and `<metric>_runs` (the headline metric of every run). Lines of a workload run
once pass through unchanged.
"""
import json
import sys

HEADLINE = {
    "mule_msg_throughput": "e2e_msgs_per_s", "signal_latency": ("median_us", "handled_per_s"),
    "timer_accuracy": "add_timer.max_abs_drift_ms", "spooler_throughput": "e2e_tasks_per_s",
    "footprint": "mules_ready_ms_median", "cache_ops": "get_ops_per_s", "http_rps": "rps", "ipc_raw": "frames_per_s",
}


def dig(o, path):
    for k in path.split("."):
        if not isinstance(o, dict) or k not in o:
            return None
        o = o[k]
    return o


def merge(lines):
    if len(lines) == 1:
        return lines[0]
    w = lines[0]["workload"]
    keys = HEADLINE.get(w, ())
    keys = (keys,) if isinstance(keys, str) else keys
    names = []
    for l in lines:
        for c in l.get("cases", []):
            if c.get("name") not in names:
                names.append(c.get("name"))
    cases = []
    for n in names:
        reps = [c for l in lines for c in l.get("cases", []) if c.get("name") == n]
        key = next((k for k in keys if all(isinstance(dig(c, k), (int, float)) for c in reps)), None)
        if key is None:  # a failed repetition or no numeric headline: keep the first good one
            good = [c for c in reps if c.get("ok", True)]
            kept = dict((good or reps)[0])
        else:
            ranked = sorted(reps, key=lambda c: dig(c, key))
            kept = dict(ranked[(len(ranked) - 1) // 2])
            kept[key.replace(".", "_") + "_runs"] = [dig(c, key) for c in reps]
        kept["repeats"] = len(reps)
        cases.append(kept)
    out = dict(lines[-1])
    out["cases"] = cases
    out["ok"] = all(c.get("ok", True) for c in cases) and bool(cases)
    out["repeats"] = len(lines)
    if all("elapsed_s" in l for l in lines):
        out["elapsed_s"] = round(sum(l["elapsed_s"] for l in lines), 2)
    return out


def main(path):
    order, groups = [], {}
    for raw in open(path):
        if not raw.strip():
            continue
        d = json.loads(raw)
        w = d.get("workload")
        if w not in groups:
            order.append(w)
            groups[w] = []
        groups[w].append(d)
    for w in order:
        print(json.dumps(merge(groups[w])))


if __name__ == "__main__":
    main(sys.argv[1])
