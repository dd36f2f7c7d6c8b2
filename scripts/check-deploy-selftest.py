#!/usr/bin/env python3
"""Shows scripts/check-deploy.py fails on each kind of drift it exists to catch: copies
the repository's deploy/, topics.yaml and Sources/ to a temporary directory, breaks one
thing at a time, and expects the checker to exit 1 naming it.

Usage: scripts/check-deploy-selftest.py [GOVERNOR_BINARY]
"""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/governor"))

# (file under the copy, text to replace, replacement, what the error must say)
MUTATIONS = [
    ("deploy/kubernetes/statefulset.yaml", "- --commit-interval-ms", "- --commit-interval", "unknown option --commit-interval"),
    ("deploy/kubernetes/statefulset.yaml", "path: /readyz", "path: /ready", "serves no /ready"),
    ("deploy/kubernetes/statefulset.yaml", "containerPort: 9464", "containerPort: 9000", "serves --http on 9464"),
    ("deploy/kubernetes/statefulset.yaml", "- $(POD_NAME)", "- fixed", "--instance-id $(POD_NAME)"),
    ("deploy/kubernetes/scaledobject.yaml", "topic: raw-events", "topic: raw-event", "raw-event is not in topics.yaml"),
    ("deploy/kubernetes/scaledobject.yaml", "maxReplicaCount: 12", "maxReplicaCount: 13", "exceeds the 12 partitions"),
    ("deploy/kubernetes/scaledobject.yaml", "consumerGroup: event-governor", "consumerGroup: other", "KEDA watches other"),
    ("deploy/kubernetes/configmap.yaml", "name: events-dlq", "name: events-dead", "differs from the repository's topics.yaml"),
    ("deploy/kubernetes/hints.yaml", '"hints", "serve"', '"hints", "serv"', "no such command"),
    ("deploy/docker/compose.yaml", '"127.0.0.1:9465:9465"', '"127.0.0.1:9465:9467"', "maps container port 9467"),
    ("deploy/docker/topics.compose.yaml", "name: usage", "name: usages", "differs from topics.yaml"),
    ("deploy/systemd/event-governor@.service", "--instance-id %H-%i", "--instance %H-%i", "unknown option --instance"),
    ("deploy/kubernetes/kustomization.yaml", "- pdb.yaml", "- pdbs.yaml", "lists pdbs.yaml"),
]


def main():
    failures = 0
    for path, old, new, expected in MUTATIONS:
        with tempfile.TemporaryDirectory() as root:
            for item in ["deploy", "Sources", "scripts"]:
                shutil.copytree(os.path.join(ROOT, item), os.path.join(root, item))
            shutil.copy(os.path.join(ROOT, "topics.yaml"), root)
            target = os.path.join(root, path)
            with open(target) as f:
                text = f.read()
            if old not in text:
                print(f"selftest: {path} no longer contains {old!r}; update the mutation")
                failures += 1
                continue
            with open(target, "w") as f:
                f.write(text.replace(old, new, 1))
            run = subprocess.run([sys.executable, os.path.join(root, "scripts/check-deploy.py"), BINARY],
                                 capture_output=True, text=True)
            if run.returncode != 1 or expected not in run.stderr:
                print(f"selftest: breaking {path} ({old!r} -> {new!r}) was not reported as {expected!r}:\n{run.stderr}{run.stdout}")
                failures += 1
    if failures:
        sys.exit(1)
    print(f"check-deploy selftest: {len(MUTATIONS)} kinds of drift reported")


if __name__ == "__main__":
    main()
