#!/usr/bin/env python3
"""Compares two output directories record for record: `governor check F --outputs A`
and `governor demo --input F --outputs B` (or two pipeline runs).

Each DIR/<topic>.jsonl line is {"key","timestamp_ms","value"}. Records are compared
per topic as multisets of (key, timestamp_ms, value), ignoring what legitimately
differs between an offline run and the pipeline: `origin` (partition and offset; also
inside `governance`) and `dlq_at` (wall clock). Exits 1 and shows the first
differences when the directories disagree.

--distinct compares the sets of distinct records instead of multisets: for a broker
without transactional isolation (librdkafka's mock cluster), where a re-delivered
attempt after a crash stays visible as a byte-identical copy.

usage: scripts/compare-outputs.py [--distinct] DIR_A DIR_B
"""
import collections, json, os, sys


def normalized(line):
    record = json.loads(line)
    value = record.get("value")
    if isinstance(value, dict):
        value.pop("origin", None)
        value.pop("dlq_at", None)
        if isinstance(value.get("governance"), dict):
            value["governance"].pop("origin", None)
    return json.dumps([record.get("key"), record.get("timestamp_ms"), value], sort_keys=True, ensure_ascii=False)


def load(directory, distinct=False):
    topics = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith(".jsonl"):
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                records = collections.Counter(normalized(l) for l in f if l.strip())
            topics[name[:-6]] = collections.Counter(set(records)) if distinct else records
    return topics


def main():
    arguments = sys.argv[1:]
    distinct = "--distinct" in arguments
    arguments = [a for a in arguments if a != "--distinct"]
    if len(arguments) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    sys.argv[1:] = arguments
    a, b = load(sys.argv[1], distinct), load(sys.argv[2], distinct)
    failed = False
    for topic in sorted(set(a) | set(b)):
        left, right = a.get(topic, collections.Counter()), b.get(topic, collections.Counter())
        if left == right:
            print(f"  same  {topic}: {sum(left.values())} records")
            continue
        failed = True
        only_a, only_b = left - right, right - left
        print(f"  DIFF  {topic}: {sum(left.values())} vs {sum(right.values())} records; "
              f"{sum(only_a.values())} only in {sys.argv[1]}, {sum(only_b.values())} only in {sys.argv[2]}")
        for record in list(only_a)[:2]:
            print(f"        only in {sys.argv[1]}: {record[:300]}")
        for record in list(only_b)[:2]:
            print(f"        only in {sys.argv[2]}: {record[:300]}")
    print("outputs agree record for record" if not failed else "outputs differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
