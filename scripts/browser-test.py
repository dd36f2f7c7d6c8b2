#!/usr/bin/env python3
"""The console tested as a person uses it (issue 13): headless Chromium from Debian
driven by Playwright, against `governor dev-broker` with `governor run` and
`governor console` up. Filters the DLQ by a reason, opens a record, replays it with
the token (a wrong token is refused), sees the replayed event accepted, and checks
that the usage page colours the workspaces' figures at 80 % and 100 %. Saves a
screenshot of each page to docs/. Exits non-zero on the first failed check.

Usage: python3 scripts/browser-test.py [--governor PATH] [--keep]
"""
import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from playwright.sync_api import sync_playwright, expect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "browser-test-token-0123"


def fail(message):
    print(f"browser-test: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def wait_for(what, condition, timeout=90, interval=0.5, last=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    fail(f"timed out after {timeout} s waiting for {what}" + (f" (last seen: {last[0]})" if last else ""))


def workload(now_ms):
    """Configs, usage that crosses 80 % and 100 %, and records for the DLQ."""
    t = now_ms - 3_600_000
    lines = []

    def line(topic, key, value=None, value_b64=None):
        nonlocal t
        t += 61_000  # one usage snapshot per record and workspace (at most one a minute of stream time)
        record = {"topic": topic, "key": key, "timestamp_ms": t}
        if value_b64 is not None:
            record["value_b64"] = value_b64
        else:
            record["value"] = value
        lines.append(json.dumps(record, separators=(",", ":")))

    configs = [
        {"workspace_id": "ws_alpha", "org_id": "org_one", "plan": "trial", "limits": {"mau_included": 5}},
        {"workspace_id": "ws_beta", "org_id": "org_one", "plan": "trial", "limits": {"mau_included": 2}},
        {"workspace_id": "ws_gamma", "org_id": "org_two", "plan": "growth", "mau_mode": "connections",
         "limits": {"peak_concurrent_connections": 4}},
    ]
    for config in configs:
        line("workspace-config", config["workspace_id"], config)

    def event(workspace, message_id, contact, **extra):
        value = {"message_id": message_id, "workspace_id": workspace, "source_id": "web", "type": "track",
                 "event": "order_placed", "customer_id": contact}
        value.update(extra)
        line("raw-events", workspace, {k: v for k, v in value.items() if v is not None})

    for i in range(4):
        event("ws_alpha", f"alpha-{i}", f"a{i}")      # MAU 4 of 5: 80 %
    for i in range(3):
        event("ws_beta", f"beta-{i}", f"b{i}")        # MAU 3 of 2: over, one overage pack
    for i in range(3):
        event("ws_gamma", f"gamma-{i}", f"g{i}", type="connection", event="connect",
              context={"connection_id": f"conn-{i}"})  # 3 of 4 connections
    event("ws_alpha", "traits-1", "a0", type="identify", event=None, traits={"$plan": "gold", "name": "Ann"})
    line("raw-events", "ws_alpha", value_b64=base64.b64encode(b"not json {").decode())
    for i in range(3):
        event("ws_late", f"late-{i}", f"l{i}")        # no config yet: unknown_workspace
    return "\n".join(lines) + "\n"


class Processes:
    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.running = []

    def start(self, name, args, stdout=None):
        log = open(os.path.join(self.log_dir, f"{name}.log"), "w")
        process = subprocess.Popen(args, cwd=ROOT, stdout=stdout or log, stderr=log, text=True)
        self.running.append((name, process))
        return process

    def log(self, name):
        with open(os.path.join(self.log_dir, f"{name}.log")) as f:
            return f.read()

    def stop_all(self):
        for _, process in reversed(self.running):
            if process.poll() is None:
                process.terminate()
        for _, process in reversed(self.running):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def produce(governor, brokers, text, directory, name):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(text)
    result = subprocess.run([governor, "produce", "--brokers", brokers, path], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"governor produce {name}: {result.stderr}")


def accepted_ids(brokers):
    return topic_ids(brokers, "events-accepted")


def topic_ids(brokers, topic):
    """The message ids on `topic` (values are JSON objects with `message_id`)."""
    result = subprocess.run(["kcat", "-b", brokers, "-C", "-t", topic, "-e", "-q", "-f", "%s\n",
                             "-X", "isolation.level=read_committed"], capture_output=True, text=True, timeout=60)
    ids = set()
    for row in result.stdout.splitlines():
        try:
            ids.add(json.loads(row).get("message_id"))
        except ValueError:
            pass
    return ids


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--governor", default=os.path.join(ROOT, ".build", "debug", "governor"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if not os.access(args.governor, os.X_OK):
        fail(f"{args.governor} not found: build first (swift build)")
    if not shutil.which("chromium"):
        fail("chromium is missing: source scripts/lib/browser-setup.sh")
    work = tempfile.mkdtemp(prefix="governor-browser-")
    processes = Processes(work)
    try:
        run_test(args.governor, work, processes)
    except Exception:
        for name, _ in processes.running:
            print(f"--- {name} log ---\n{processes.log(name)[-3000:]}", file=sys.stderr)
        raise
    finally:
        processes.stop_all()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("browser-test: passed (review, replay with token, outcome accepted, usage colours)")


def run_test(governor, work, processes):
    bootstrap_file = os.path.join(work, "bootstrap")
    processes.start("dev-broker", [governor, "dev-broker", "--brokers", "1", "--bootstrap-file", bootstrap_file])
    wait_for("the dev-broker's bootstrap file", lambda: os.path.exists(bootstrap_file), timeout=60)
    brokers = open(bootstrap_file).read().strip()
    produce(governor, brokers, workload(int(time.time() * 1000)), work, "workload.jsonl")
    processes.start("run", [governor, "run", "--brokers", brokers, "--group", "browser-test", "--instance-id", "browser-test",
                            "--session-timeout-ms", "3000", "--log-level", "warning"])
    token_file = os.path.join(work, "token")
    with open(token_file, "w") as f:
        f.write(TOKEN + "\n")
    console_out = open(os.path.join(work, "console.out"), "w")
    processes.start("console", [governor, "console", "--brokers", brokers, "--http", "127.0.0.1:0",
                                "--db", os.path.join(work, "index.sqlite"), "--replay-token-file", token_file],
                    stdout=console_out)

    def console_url():
        with open(os.path.join(work, "console.out")) as f:
            match = re.search(r"console: (http://[^ ]+/) ", f.read())
        return match and match.group(1)

    url = wait_for("the console to listen", console_url, timeout=60)
    print(f"browser-test: console at {url}, brokers {brokers}")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)

        # The index fills from events-dlq: 3 unknown_workspace, 1 trait finding, 1 malformed.
        def dlq_indexed():
            page.goto(url)
            page.wait_for_selector("#total")
            page.wait_for_function("document.querySelector('#total').textContent !== '…'")
            return page.inner_text("#total") == "5"
        wait_for("5 DLQ records in the console", dlq_indexed, timeout=120, interval=1)

        # Filter by a reason.
        page.wait_for_selector("#f-reason option[value='unknown_workspace']", state="attached")
        page.select_option("#f-reason", "unknown_workspace")
        page.click("#apply")
        expect(page.locator("#total")).to_have_text("3")
        expect(page.locator("#records tbody tr")).to_have_count(3)
        for row in page.locator("#records tbody tr td:nth-child(5)").all_inner_texts():
            if "unknown_workspace" not in row:
                fail(f"a filtered row has another reason: {row}")
        expect(page.locator("#chart-svg")).to_be_visible()
        page.screenshot(path=os.path.join(ROOT, "docs", "console-review.png"), full_page=True)

        # Fix the cause: the workspace's config. The processor applies it once its
        # config reader has it, so probe events (new ids) go in until one is accepted.
        produce(governor, brokers,
                json.dumps({"topic": "workspace-config", "key": "ws_late",
                            "value": {"workspace_id": "ws_late", "org_id": "org_two", "plan": "trial"}}) + "\n",
                work, "fix.jsonl")
        for attempt in range(20):
            probe = f"late-probe-{attempt}"
            produce(governor, brokers,
                    json.dumps({"message_id": probe, "workspace_id": "ws_late", "source_id": "web", "type": "track",
                                "event": "order_placed", "customer_id": "l9"}) + "\n",
                    work, "probe.jsonl")
            wait_for(f"{probe} to get a verdict",
                     lambda: probe in accepted_ids(brokers) or probe in topic_ids(brokers, "events-dlq"), interval=1)
            if probe in accepted_ids(brokers):
                break
        else:
            fail("no probe event for ws_late was accepted after its config was produced")

        # Open a record.
        page.click("#records tbody tr:first-child td:nth-child(2)")
        expect(page.locator("#detail")).to_be_visible()
        expect(page.locator("#detail-reason")).to_have_text("unknown_workspace")
        original = page.inner_text("#original")
        message_id = json.loads(original)["message_id"]
        if not message_id.startswith("late-"):
            fail(f"the detail shows another record: {original}")

        # Replay it: a wrong token is refused, the right one replays.
        page.click("#replay-one")
        expect(page.locator("#confirm-dialog")).to_be_visible()
        expect(page.locator("#confirm-count")).to_have_text("1")
        expect(page.locator("#confirm-text")).to_contain_text("1 to raw-events")
        page.fill("#reviewer", "browser-test")
        page.fill("#token", "not-the-token")
        page.click("#confirm")
        expect(page.locator("#confirm-error")).to_contain_text("valid replay token")
        page.fill("#token", TOKEN)
        page.click("#confirm")
        expect(page.locator("#replay-done")).to_contain_text("replayed 1 record(s)")

        # See the replayed event accepted.
        def outcome():
            if page.locator("#check-outcome").count() == 0:
                return None
            page.click("#check-outcome")
            page.wait_for_function("!['looking…', ''].includes(document.querySelector('#outcome').textContent)")
            verdict = page.locator("#outcome-verdict")
            if verdict.count() == 0:
                last_outcome[0] = page.inner_text("#outcome")
            return verdict.count() > 0 and verdict.inner_text()
        last_outcome = [""]
        verdict = wait_for("the replay's verdict", outcome, timeout=90, interval=1, last=last_outcome)
        if verdict != "accepted":
            fail(f"the replayed event got {verdict}, not accepted")
        if message_id not in accepted_ids(brokers):
            fail(f"{message_id} is not on events-accepted")
        page.wait_for_selector("#audit tbody tr td:has-text('browser-test')")
        page.screenshot(path=os.path.join(ROOT, "docs", "console-replay.png"), full_page=True)
        print(f"browser-test: replayed {message_id}: accepted")

        # Usage: the workspaces with their figures coloured against the plan.
        def usage_ready():
            page.goto(url + "usage")
            rows = page.locator("#usage tbody tr[data-workspace]")
            alpha = page.locator("#usage tr[data-workspace='ws_alpha'] td:nth-child(6)")
            return rows.count() >= 3 and alpha.count() == 1 and alpha.inner_text().startswith("4 / 5")
        wait_for("the usage page to show ws_alpha at 4 of 5 MAU", usage_ready, timeout=90, interval=1)
        levels = {ws: page.get_attribute(f"#usage tr[data-workspace='{ws}'] td:nth-child(6)", "data-level")
                  for ws in ("ws_alpha", "ws_beta", "ws_gamma")}
        if levels != {"ws_alpha": "warn", "ws_beta": "over", "ws_gamma": "ok"}:
            fail(f"MAU colours are {levels}")
        expect(page.locator("#usage tr[data-workspace='ws_beta'] td:nth-child(10)")).to_contain_text("MAU 150 %")
        expect(page.locator("#usage tr[data-workspace='ws_beta'] td:nth-child(9)")).to_have_text("1")
        expect(page.locator("#usage tr[data-workspace='ws_gamma'] td:nth-child(7)")).to_contain_text("3 / 4")
        expect(page.locator("#orgs")).to_contain_text("org_two")
        expect(page.locator("#notifications")).to_contain_text("mau_threshold")
        page.screenshot(path=os.path.join(ROOT, "docs", "console-usage.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
