#!/usr/bin/env python3
"""CPython's json.loads over every line of a record file: the yardstick of the
offline engine (docs/BENCHMARKS.md). Best of 3, CPU time of this process, so other
load on the machine counts as little as possible. Pin it like governor check:
    taskset -c 0 python3 Benchmarks/scripts/json-loads-rate.py /tmp/w.jsonl
"""
import json
import sys
import time

with open(sys.argv[1], "rb") as f:
    lines = f.readlines()
best = None
for _ in range(3):
    start = time.process_time()
    for line in lines:
        json.loads(line)
    elapsed = time.process_time() - start
    best = elapsed if best is None else min(best, elapsed)
print(f"json.loads (CPU time): {len(lines)} lines in {best:.3f} s = {len(lines) / best:,.0f} lines/s")
