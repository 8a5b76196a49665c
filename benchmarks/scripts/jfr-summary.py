#!/usr/bin/env python3
"""Summarises a JFR recording made by JMH's `-prof jfr`: where the CPU samples fall (self and inclusive),
and which classes the allocation samples name. JFR's allocation samples are throttled and weighted, so
they show which objects exist, not exact bytes; gc.alloc.rate.norm gives the bytes.

usage: benchmarks/scripts/jfr-summary.py <dir>/profile.jfr      (needs the JDK's `jfr` on the PATH)
"""
import collections
import json
import subprocess
import sys

INTERESTING = ("dev/jamesproxy", "io/netty", "java/net", "java/util/zip")


def events(path, kind):
    out = subprocess.run(["jfr", "print", "--json", "--events", kind, path], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(frame):
    method = frame["method"]
    return method["type"]["name"] + "." + method["name"]


def main(path):
    samples = events(path, "jdk.ExecutionSample")
    own, inclusive = collections.Counter(), collections.Counter()
    for sample in samples:
        frames = sample["values"]["stackTrace"]["frames"]
        if frames:
            own[frame_name(frames[0])] += 1
            for name in {frame_name(f) for f in frames}:
                inclusive[name] += 1
    total = max(len(samples), 1)
    print(f"CPU samples: {len(samples)}\n-- self")
    for name, count in own.most_common(20):
        print(f"{100 * count / total:5.1f}%  {name}")
    print("-- inclusive (project, Netty, java.net, java.util.zip)")
    for name, count in inclusive.most_common():
        if name.startswith(INTERESTING) and count / total >= 0.01:
            print(f"{100 * count / total:5.1f}%  {name}")

    allocations = events(path, "jdk.ObjectAllocationSample")
    weights = collections.Counter()
    for sample in allocations:
        weights[sample["values"]["objectClass"]["name"]] += sample["values"]["weight"]
    total = max(sum(weights.values()), 1)
    print(f"allocation samples: {len(allocations)}")
    for name, weight in weights.most_common(15):
        print(f"{100 * weight / total:5.1f}%  {name}")


if __name__ == "__main__":
    main(sys.argv[1])
