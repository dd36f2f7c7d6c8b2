# Sourced by scripts/test: the console's browser test needs Debian's chromium and
# Playwright from PyPI (driven with executable_path=/usr/bin/chromium; Playwright's
# own browser download is never used). Idempotent and quiet when all is there.

if ! command -v chromium >/dev/null 2>&1; then
    echo "setup: installing chromium" >&2
    governor_sudo=""
    [ "$(id -u)" -ne 0 ] && governor_sudo="sudo"
    $governor_sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $governor_sudo apt-get install -y -qq chromium fonts-dejavu-core >&2
    unset governor_sudo
fi
if ! python3 -c "import playwright.sync_api" >/dev/null 2>&1; then
    echo "setup: installing playwright (PyPI)" >&2
    python3 -m pip install -q playwright >&2 || python3 -m pip install -q --break-system-packages playwright >&2
fi
