#!/usr/bin/env python3
"""Exact optimum of a meeting-scheduling instance (the `passerelle schedule --input` format).

Solves the integer program with HiGHS (PyPI package `highspy`): x[request, slot] binary for each
slot both participants are available in; each request at most once; each participant at most
once per slot and at most max_meetings times; at most `tables` meetings per slot; pinned
meetings fixed in their slot. Prints one JSON line: {"optimum", "bound", "status", "seconds"}.
Used by bench/compare_small.sh to measure Passerelle's gap; not part of the product.

    python3 bench/exact_schedule.py instance.json [--lp] [--time-limit SECONDS]
"""
import argparse
import json
import os
import sys
import time

import highspy
import numpy as np


def build(instance):
    slots = instance["slots"]
    tables = instance["tables"]
    people = {p["id"]: i for i, p in enumerate(instance["participants"])}
    avail = [set(p["available"]) for p in instance["participants"]]
    caps = []
    for i, p in enumerate(instance["participants"]):
        cap = p.get("max_meetings")
        caps.append(len(avail[i]) if cap is None else min(cap, len(avail[i])))
    pinned = {}
    for p in instance.get("pinned", []):
        a, b = people[p["a"]], people[p["b"]]
        pinned[(min(a, b), max(a, b))] = p["slot"]
    cols = []  # (request index, a, b, slot, weight, fixed)
    for k, r in enumerate(instance["requests"]):
        a, b = people[r["a"]], people[r["b"]]
        key = (min(a, b), max(a, b))
        if key in pinned:
            cols.append((k, a, b, pinned[key], r["weight"], True))
            continue
        for s in sorted(avail[a] & avail[b]):
            cols.append((k, a, b, s, r["weight"], False))
    rows = {}

    def add(key, j):
        rows.setdefault(key, []).append(j)

    for j, (k, a, b, s, _, _) in enumerate(cols):
        add(("request", k), j)
        add(("cell", a, s), j)
        add(("cell", b, s), j)
        add(("cap", a), j)
        add(("cap", b), j)
        add(("slot", s), j)
    bounds = {"request": lambda key: 1, "cell": lambda key: 1, "cap": lambda key: caps[key[1]],
              "slot": lambda key: tables}
    return cols, [(bounds[key[0]](key), js) for key, js in rows.items() if len(js) > 1 or key[0] != "cell"]


def quiet_highs():
    """A Highs object whose start-up banner does not reach stdout (which carries the JSON)."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def solve(instance, lp=False, time_limit=None):
    cols, rows = build(instance)
    h = quiet_highs()
    h.setOptionValue("output_flag", False)
    if time_limit:
        h.setOptionValue("time_limit", float(time_limit))
    n = len(cols)
    lower = np.array([1.0 if c[5] else 0.0 for c in cols])
    upper = np.ones(n)
    h.addVars(n, lower, upper)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array([float(c[4]) for c in cols]))
    if not lp and n:
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                np.array([highspy.HighsVarType.kInteger] * n))
    starts, index, value, rhs = [], [], [], []
    for limit, js in rows:
        starts.append(len(index))
        index.extend(js)
        value.extend([1.0] * len(js))
        rhs.append(float(limit))
    if rows:
        h.addRows(len(rows), np.full(len(rows), -highspy.kHighsInf), np.array(rhs), len(index),
                  np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32), np.array(value))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    started = time.time()
    h.run()
    seconds = time.time() - started
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    optimum = info.objective_function_value if n else 0.0
    bound = optimum if lp else (info.mip_dual_bound if n else 0.0)
    return {"optimum": optimum if lp else round(optimum), "bound": bound, "status": status,
            "seconds": round(seconds, 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("--lp", action="store_true", help="solve the LP relaxation only")
    parser.add_argument("--time-limit", type=float, default=None)
    args = parser.parse_args()
    with open(args.instance) as f:
        instance = json.load(f)
    print(json.dumps(solve(instance, args.lp, args.time_limit)))


if __name__ == "__main__":
    sys.exit(main())
