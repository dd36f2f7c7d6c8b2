#!/usr/bin/env python3
"""Checks bloom-test-vectors.json against an independent MurmurHash3: PyPI `mmh3`.

SPEC §7 (SDK hint): h1 = mmh3(utf8(name), seed 0), h2 = mmh3(utf8(name), seed 1),
unsigned; bit i in 0..<7 is (h1 + i*h2) mod m (Python ints: no wrap at 2^32);
m = smallest power of two >= max(1024, ceil(9.6 * members)); bit j is bit j & 7
(LSB first) of byte j >> 3; bloom_b64 = standard padded base64 of the m/8 bytes.

Usage:
  scripts/check-bloom-vectors.py           recompute every vector, exit 1 on any difference
  scripts/check-bloom-vectors.py --write   regenerate the file from the inputs below

Installs mmh3 with pip when it is missing.
"""
import base64
import importlib
import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

VECTORS = Path(__file__).resolve().parent.parent / "bloom-test-vectors.json"
K, SEED_A, SEED_B = 7, 0, 1


def load_mmh3():
    try:
        return importlib.import_module("mmh3")
    except ImportError:
        print("mmh3 not installed; installing it with pip", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "mmh3"])
        return importlib.import_module("mmh3")


mmh3 = load_mmh3()


def hashes(name):
    data = name.encode("utf-8")
    return mmh3.hash(data, SEED_A, signed=False), mmh3.hash(data, SEED_B, signed=False)


def bits(name, m):
    h1, h2 = hashes(name)
    return [(h1 + i * h2) % m for i in range(K)]


def bit_count(n):
    target = max(1024, -(-48 * n // 5))  # ceil(9.6 n) exactly
    m = 1
    while m < target:
        m *= 2
    return m


def bloom_b64(members):
    m = bit_count(len(members))
    filt = bytearray(m // 8)
    for name in members:
        for j in bits(name, m):
            filt[j >> 3] |= 1 << (j & 7)
    return m, base64.b64encode(bytes(filt)).decode("ascii")


# Bit indices are listed for the smallest filter and for m = 2^32, where no-wrap and
# wrapping 32-bit arithmetic must agree.
BIT_SIZES = [1024, 2048, 2**32]

NAMES = [
    "", "a", "ab", "abc", "abcd", "abcde", "abcdefgh",
    "order_placed", "video_watched", "Signup Completed", "checkout.step-2",
    "café", "cafe\u0301", "ñandú_clicked", "日本語イベント", "событие_открыто", "😀 emoji_sent",
    "x" * 128,
    "long_event_name_" * 64,
]


def member_set(prefix, n):
    return [f"{prefix}_{i:04d}" for i in range(n)]


FILTER_INPUTS = [
    ("empty registry", []),
    ("one member", ["order_placed_custom"]),
    ("three members", ["video_watched", "plan_upgraded", "invite_sent"]),
    ("non-ASCII and empty names", ["café", "cafe\u0301", "日本語イベント", "😀 emoji_sent", ""]),
    ("106 members: the largest set with m = 1024", member_set("custom_event", 106)),
    ("107 members: m = 2048", member_set("custom_event", 107)),
    ("213 members: the largest set with m = 2048", member_set("feature", 213)),
    ("214 members: m = 4096", member_set("feature", 214)),
    ("1000 members: m = 16384", member_set("evt", 1000)),
]


def name_vector(name):
    h1, h2 = hashes(name)
    return {
        "name": name,
        "utf8_hex": name.encode("utf-8").hex(),
        "h1": h1,
        "h2": h2,
        "bits": {str(m): bits(name, m) for m in BIT_SIZES},
    }


def filter_vector(label, members):
    m, b64 = bloom_b64(members)
    return {"label": label, "members": members, "m": m, "bloom_b64": b64}


def write():
    header = {
        "about": "SDK hint Bloom filter vectors (SPEC §7), generated and checked by "
        "scripts/check-bloom-vectors.py with PyPI mmh3; checked by the Swift tests (BloomVectorTests).",
        "bloom_algo": "mmh3_x86_32_km",
        "seed_a": SEED_A,
        "seed_b": SEED_B,
        "k": K,
    }
    lines = ["{"]
    for key, value in header.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    for section, entries, last in (
        ("names", [name_vector(n) for n in NAMES], False),
        ("filters", [filter_vector(label, members) for label, members in FILTER_INPUTS], True),
    ):
        lines.append(f'  "{section}": [')
        rendered = [json.dumps(e, ensure_ascii=False) for e in entries]
        lines.extend(f"    {r}," for r in rendered[:-1])
        lines.append(f"    {rendered[-1]}")
        lines.append("  ]" + ("" if last else ","))
    lines.append("}")
    VECTORS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {VECTORS}")


def check():
    data = json.loads(VECTORS.read_text(encoding="utf-8"))
    problems = []
    if (data["bloom_algo"], data["seed_a"], data["seed_b"], data["k"]) != ("mmh3_x86_32_km", SEED_A, SEED_B, K):
        problems.append("header: algorithm, seeds or k differ from SPEC §7")
    for v in data["names"]:
        expected = name_vector(v["name"])
        for field in ("utf8_hex", "h1", "h2"):
            if v[field] != expected[field]:
                problems.append(f"name {v['name']!r}: {field} {v[field]} != {expected[field]}")
        for m, indices in v["bits"].items():
            if indices != bits(v["name"], int(m)):
                problems.append(f"name {v['name']!r}: bits for m={m} {indices} != {bits(v['name'], int(m))}")
    for v in data["filters"]:
        m, b64 = bloom_b64(v["members"])
        if v["m"] != m:
            problems.append(f"filter {v['label']!r}: m {v['m']} != {m}")
        if v["bloom_b64"] != b64:
            problems.append(f"filter {v['label']!r}: bloom_b64 differs")
    for p in problems:
        print("MISMATCH", p, file=sys.stderr)
    total = len(data["names"]) + len(data["filters"])
    if problems:
        print(f"{len(problems)} difference(s) in {VECTORS.name}", file=sys.stderr)
        return 1
    print(f"OK: {len(data['names'])} name vectors and {len(data['filters'])} filters of {VECTORS.name} "
          f"match mmh3 {importlib.metadata.version('mmh3')} ({total} vectors)")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    elif sys.argv[1:]:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    else:
        sys.exit(check())
