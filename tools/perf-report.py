#!/usr/bin/python3
"""Turn benchmark results (JSON lines) into the Markdown tables of
docs/performance.md.

  perf-report.py cycles build-bench/cycles.jsonl
"""
import json
import sys


def cycles(path):
    rows = [json.loads(line) for line in open(path) if line.startswith("{")]
    sizes = sorted({r["bindings"] for r in rows})
    names = []
    for r in rows:
        if r["path"] not in names:
            names.append(r["path"])
    by = {(r["path"], r["bindings"]): r for r in rows}
    hz = rows[0]["tsc_hz"] if rows else 0

    def fmt(n):
        return f"{n // 1000000}M" if n >= 1000000 else f"{n // 1000}k"

    head = "| path | " + " | ".join(
        f"lookup @{fmt(s)} | core @{fmt(s)} | core/lookup | full @{fmt(s)}" for s in sizes) + " |"
    print(head)
    print("|" + "---|" * (1 + 4 * len(sizes)))
    for n in names:
        cells = []
        for s in sizes:
            r = by.get((n, s))
            if not r:
                cells += ["-"] * 4
                continue
            lk = r.get("lookup_cycles_per_packet")
            cells += [f"{lk:.0f}" if lk else "-", f"{r['core_cycles_per_packet']:.0f}",
                      f"{r['core_cycles_per_packet'] / lk:.2f}" if lk else "-",
                      f"{r['cycles_per_packet']:.0f}"]
        print(f"| {n} | " + " | ".join(cells) + " |")
    print(f"\nTSC {hz / 1e9:.2f} GHz; lookup = the baseline measured in the same run: the bulk "
          "binding lookup alone (rte_hash bulk lookup and the read of each entry) on the same "
          "keys; core = lookup + encap (or decap + anti-spoofing lookup "
          "and check); full = the whole burst function: classify, lookups, tunnel, route, "
          "Ethernet rewrite, TX enqueue to net_null (whose TX frees the mbufs).")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("cycles",):
        sys.exit(__doc__)
    cycles(sys.argv[2])
