# Sourced by the scripts: makes a fresh machine ready to build and run Event Governor.
# Installs librdkafka-dev (Debian's 2.0.2), libjemalloc-dev (the executable's allocator),
# kcat and pkg-config when missing.

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

governor_need_apt=()
pkg-config --exists rdkafka 2>/dev/null || governor_need_apt+=(librdkafka-dev pkg-config)
pkg-config --exists jemalloc 2>/dev/null || governor_need_apt+=(libjemalloc-dev pkg-config)
command -v kcat >/dev/null 2>&1 || governor_need_apt+=(kcat)
python3 -c 'import yaml' >/dev/null 2>&1 || governor_need_apt+=(python3-yaml)
if [ ${#governor_need_apt[@]} -gt 0 ]; then
    echo "setup: installing ${governor_need_apt[*]}" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${governor_need_apt[@]}" >&2
fi
unset governor_need_apt
