#!/usr/bin/env python3
"""Turns a JMH JSON result of ProxyHeaderBenchmark (run with -prof gc and the CpuTimeProfiler) into the
Markdown tables of BENCHMARKS.md: ours against each Netty driver, ratios from that one run.

usage: benchmarks/scripts/ratios.py benchmarks/results/<run>.json
"""
import json
import sys

INPUTS = ["V1_TCP4", "V1_TCP6", "V2_TCP4", "V2_TCP4_5TLVS", "V2_TCP6", "V2_TCP4_5TLVS_3FRAGMENTS"]


def load(path):
    results = {}
    for b in json.load(open(path)):
        secondary = b["secondaryMetrics"]
        results[(b["benchmark"].rsplit(".", 1)[1], b["params"]["input"])] = {
            "ops": b["primaryMetric"]["score"],
            "ops_err": b["primaryMetric"]["scoreError"],
            "bytes": secondary["gc.alloc.rate.norm"]["score"],
            "cpu": secondary.get("cpu.time.norm", {}).get("score", float("nan")),
        }
    return results


def mops(x):
    return f"{x / 1e6:.2f} M"


def main(path):
    r = load(path)
    print("Against `nettyDecode` (the leanest Netty driver, the baseline for the goals):\n")
    print("| input | ours ops/s | Netty ops/s | throughput × | ours B/op | Netty B/op | allocation ratio "
          "| ours CPU ns/op | Netty CPU ns/op | CPU × |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for i in INPUTS:
        o, n = r.get(("ours", i)), r.get(("nettyDecode", i))
        if o and n:
            print(f"| {i} | {mops(o['ops'])} ± {o['ops_err'] / 1e6:.2f} | {mops(n['ops'])} ± {n['ops_err'] / 1e6:.2f} "
                  f"| **{o['ops'] / n['ops']:.2f}×** | {o['bytes']:.0f} | {n['bytes']:.0f} | **{o['bytes'] / n['bytes']:.2f}** "
                  f"| {o['cpu']:.0f} | {n['cpu']:.0f} | {n['cpu'] / o['cpu']:.2f}× |")
    print("\nAgainst the two heavier Netty drivers:\n")
    print("| input | `nettyNewDecoder` ops/s, B/op, CPU ns/op | ours: throughput ×, allocation ratio, CPU × "
          "| `nettyChannel` ops/s, B/op, CPU ns/op | ours: throughput ×, allocation ratio, CPU × |")
    print("|---|---:|---:|---:|---:|")
    for i in INPUTS:
        o, a, c = r.get(("ours", i)), r.get(("nettyNewDecoder", i)), r.get(("nettyChannel", i))
        if o and a and c:
            print(f"| {i} | {mops(a['ops'])}, {a['bytes']:.0f}, {a['cpu']:.0f} "
                  f"| {o['ops'] / a['ops']:.2f}×, {o['bytes'] / a['bytes']:.2f}, {a['cpu'] / o['cpu']:.2f}× "
                  f"| {mops(c['ops'])}, {c['bytes']:.0f}, {c['cpu']:.0f} "
                  f"| {o['ops'] / c['ops']:.2f}×, {o['bytes'] / c['bytes']:.2f}, {c['cpu'] / o['cpu']:.2f}× |")


if __name__ == "__main__":
    main(sys.argv[1])
