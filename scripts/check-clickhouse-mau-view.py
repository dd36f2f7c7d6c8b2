#!/usr/bin/env python3
"""Runs deploy/clickhouse/mau_view.sql on real ClickHouse (PyPI `chdb`, in-process) and
checks the MAU it counts on a small set of rows; exits 1 on a wrong count.

Installs chdb with pip when it is missing (a large wheel: the ClickHouse engine).
"""
import importlib
import subprocess
import sys
from pathlib import Path

SQL = Path(__file__).resolve().parent.parent / "deploy" / "clickhouse" / "mau_view.sql"


def load_session():
    try:
        return importlib.import_module("chdb.session")
    except ImportError:
        print("chdb not installed; installing it with pip", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "chdb"])
        return importlib.import_module("chdb.session")


OCT_31_LAST_MS = 1_793_491_199_999  # 2026-10-31T23:59:59.999Z
ROWS = [
    ("ws1", "c1", "track", "video_watched", OCT_31_LAST_MS),  # active in October
    ("ws1", "c1", "track", "video_watched", OCT_31_LAST_MS + 1),  # active in November
    ("ws1", "c2", "identify", "identify", OCT_31_LAST_MS + 5),  # passive name
    ("ws1", "c3", "track", "email.opened", OCT_31_LAST_MS + 5),  # passive prefix
    ("ws1", "c4", "consent", "consent", OCT_31_LAST_MS + 5),  # never active
    ("ws1", "c5", "connection", "connect", OCT_31_LAST_MS + 5),  # never active
    ("ws1", "c6", "page", "page_view", OCT_31_LAST_MS + 5),  # active
    ("ws1", "c6", "track", "order_placed", OCT_31_LAST_MS + 6),  # same contact again
    ("ws1", "c7", "track", "session_start", OCT_31_LAST_MS + 6),  # passive name
    ("ws2", "c1", "track", "aegis.anything", OCT_31_LAST_MS + 6),  # passive prefix
    ("ws2", "c9", "screen", "screen_view", OCT_31_LAST_MS + 6),  # active
]
EXPECTED = '"ws1","2026-10-01",1\n"ws1","2026-11-01",2\n"ws2","2026-11-01",1\n'


def main():
    s = load_session().Session()
    s.query("CREATE DATABASE IF NOT EXISTS governor")
    s.query(
        "CREATE TABLE governor.events_accepted (workspace_id String, contact_key String, type String, "
        "event String, stream_time_ms Int64) ENGINE = MergeTree ORDER BY (workspace_id, stream_time_ms)"
    )
    s.query(SQL.read_text(encoding="utf-8"))
    s.query("INSERT INTO governor.events_accepted VALUES " + ",".join("('%s','%s','%s','%s',%d)" % r for r in ROWS))
    got = str(s.query(
        "SELECT workspace_id, month, uniqExactMerge(active_contacts) AS mau FROM governor.mau_active_events "
        "GROUP BY workspace_id, month ORDER BY workspace_id, month",
        "CSV",
    ))
    if got != EXPECTED:
        print(f"MISMATCH: expected\n{EXPECTED}got\n{got}", file=sys.stderr)
        return 1
    print(f"OK: {SQL.name} runs on ClickHouse (chdb) and counts the expected MAU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
