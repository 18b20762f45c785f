#!/usr/bin/env python3
"""Compares sipas's reference-analysis outputs with a peer's result JSON (shared/peers, schema
sipas-bench-result/1), deterministic numbers to stated tolerances and LMG bootstrap limits in bootstrap SDs.

    python3 scripts/compare_peers.py OUT_FOLDER PEER.json [--json RESULT.json]

OUT_FOLDER holds what notebooks-scripts/reference-analysis.sipas wrote (index-design-by-unit.json,
index-simple.json, drivers.json). Standard library only. Exit status 1 when a deterministic number differs.
"""
import json
import math
import sys

FACTORS = {"F1": "access", "F2": "procedures", "F3": "officials", "F4": "results", "F5": "feedback"}
TOLERANCE = {"criteria": 1e-9, "composites": 1e-9, "ols": 1e-7, "lmg": 1e-7, "alpha": 1e-9}


def main():
    folder, peer_path = sys.argv[1], sys.argv[2]
    out_json = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    peer = json.load(open(peer_path))
    design = json.load(open(f"{folder}/index-design-by-unit.json"))["indices"]
    simple = json.load(open(f"{folder}/index-simple.json"))["indices"]
    drivers = json.load(open(f"{folder}/drivers.json"))
    worst = {}
    failures = []

    def check(section, what, ours, theirs):
        if ours is None or theirs is None:
            failures.append(f"{section}: {what}: {ours!r} vs {theirs!r}")
            return
        # Values below 1e-9 on both sides are zero at this precision (a unit where every answer is the same has
        # a standard error of 0 in R and of about 1e-15 here): compared absolutely, as shared/peers/compare.py does.
        scale = max(abs(ours), abs(theirs))
        rel = 0.0 if scale < 1e-9 and abs(ours - theirs) < 1e-9 else abs(ours - theirs) / scale
        worst[section] = max(worst.get(section, 0.0), rel)
        if rel > TOLERANCE[section]:
            failures.append(f"{section}: {what}: {ours!r} vs {theirs!r} (rel {rel:.2e})")

    def lookup(section, table, key):
        """Our row for `key`, or None with the absence counted as a failure."""
        if key not in table:
            failures.append(f"{section}: {key} missing")
        return table.get(key)

    def domain(row):
        return row["group"].get("unit_id", "ALL")

    ours_design = {(domain(r), r["kind"], r["id"]): r for r in design}
    ours_simple = {(r["kind"], r["id"]): r for r in simple if not r["group"]}
    for row in peer["criteria"]:
        key = (row["domain"], "criterion", row["item"])
        mine = lookup("criteria", ours_design, key)
        if mine is None:
            continue
        check("criteria", f"{key} design index", mine["estimate"], row["design_index"])
        check("criteria", f"{key} design SE", mine["se"], row["design_se"])
        if row["domain"] == "ALL":
            check("criteria", f"{key} simple index", ours_simple[("criterion", row["item"])]["estimate"], row["index"])
            check("criteria", f"{key} simple SE", ours_simple[("criterion", row["item"])]["se"], row["simple_se"])
    for row in peer["composites"]:
        kind, name = ("overall", "SIPAS") if row["name"] == "SIPAS" else ("factor", FACTORS[row["name"]])
        mine = lookup("composites", ours_design, (row["domain"], kind, name))
        if mine is None:
            continue
        check("composites", f"{row['domain']} {name} design index", mine["estimate"], row["design_index"])
        check("composites", f"{row['domain']} {name} design SE", mine["se"], row["design_se"])

    model = drivers["models"][0]
    coefficients = {c["term"]: c for c in model["coefficients"]}
    for row in peer["ols"]["coefficients"]:
        term = "(Intercept)" if row["term"] == "(Intercept)" else FACTORS[row["term"]]
        mine = lookup("ols", coefficients, term)
        if mine is None:
            continue
        check("ols", f"{term} estimate", mine["estimate"], row["estimate"])
        check("ols", f"{term} cluster SE", mine["se"], row["se_cluster"])
    check("ols", "R²", model["r_squared"], peer["ols"]["r2"])
    for f, name in FACTORS.items():
        check("ols", f"{name} standardized beta", coefficients[name]["std_beta"], peer["ols"]["std_beta"][f])
        check("ols", f"{name} VIF", coefficients[name]["vif"], peer["ols"]["vif"][f])
        check("lmg", f"{name} LMG", coefficients[name]["lmg"], peer["lmg"]["raw"][f])
        check("lmg", f"{name} LMG share", coefficients[name]["lmg_share"], peer["lmg"]["share"][f])
    boot = peer["lmg"]["boot"]
    boot_sd = {}
    for f, name in FACTORS.items():
        sd = boot["share_sd"][f]
        for end, key in (("lo", "lmg_share_ci_lower"), ("hi", "lmg_share_ci_upper")):
            distance = abs(coefficients[name][key] - boot[f"share_{end}"][f]) / sd
            boot_sd[f"{name} {end}"] = distance
    reliability = {r["factor"]: r for r in drivers["reliability"]}
    for row in peer["alpha"]:
        mine = reliability[FACTORS[row["factor"]]]
        if mine["n"] != row["n"]:
            failures.append(f"alpha: {row['factor']} n {mine['n']} vs {row['n']}")
        check("alpha", f"{row['factor']} alpha", mine["alpha"], row["raw_alpha"])
        check("alpha", f"{row['factor']} standardized alpha", mine["standardized_alpha"], row["std_alpha"])

    largest_boot = max(boot_sd.values()) if boot_sd else float("nan")
    summary = {"peer": peer["meta"]["implementation"], "max_relative_difference": worst,
               "tolerance": TOLERANCE, "lmg_share_ci_limits_max_distance_in_boot_sd": largest_boot,
               "failures": failures}
    for section, value in worst.items():
        print(f"{section:12s} max relative difference {value:.2e} (tolerance {TOLERANCE[section]:g})")
    print(f"LMG share CI limits: at most {largest_boot:.2f} bootstrap SDs from the peer's (different random streams)")
    for failure in failures[:20]:
        print("FAIL", failure)
    if out_json:
        json.dump(summary, open(out_json, "w"), indent=1)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
