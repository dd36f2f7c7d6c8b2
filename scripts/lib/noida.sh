# Sourced by scripts/test: installs the real-broker test tier, PyPI's noida-db 0.2.3
# (a single-binary Kafka-protocol broker with transactions, fencing and compaction;
# see docs/KAFKA.md), into a venv under .build, and exports NOIDA_DB_BINARY: the
# real broker binary, which the RealBroker tests start and stop themselves (by pid,
# one broker per test on a free port). Not the `noida-db` entry point: that is a
# Python wrapper that forks the binary, and killing it would leave the broker behind.
# When the install fails, NOIDA_DB_UNAVAILABLE says why and the tests are skipped
# with that message.

governor_noida_venv="${NOIDA_DB_VENV:-$PWD/.build/noida-db-venv}"
governor_noida_find() {
    ls "$governor_noida_venv"/lib/python3*/site-packages/noida_db/noida-db 2>/dev/null | head -1
}
if [ -z "${NOIDA_DB_BINARY:-}" ]; then
    if [ -z "$(governor_noida_find)" ]; then
        echo "setup: installing noida-db 0.2.3 into $governor_noida_venv" >&2
        if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
            SUDO=""
            [ "$(id -u)" -ne 0 ] && SUDO="sudo"
            $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >&2 || true
        fi
        { python3 -m venv "$governor_noida_venv" && "$governor_noida_venv/bin/pip" install -q "noida-db==0.2.3"; } >&2 \
            || export NOIDA_DB_UNAVAILABLE="pip install noida-db==0.2.3 into $governor_noida_venv failed"
    fi
    if [ -n "$(governor_noida_find)" ]; then
        export NOIDA_DB_BINARY="$(governor_noida_find)"
        chmod +x "$NOIDA_DB_BINARY"
    else
        export NOIDA_DB_UNAVAILABLE="${NOIDA_DB_UNAVAILABLE:-noida-db binary not found under $governor_noida_venv}"
    fi
fi
unset governor_noida_venv
unset -f governor_noida_find
