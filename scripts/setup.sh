#!/bin/sh
# cordbg set-up: install what is missing on a Debian 12 machine, check the .NET SDK.
# Idempotent and quiet: on a machine that has everything it prints nothing and takes
# well under a second. Shared by `make demo` and `make test`.
set -eu

PKGS="gcc make libedit-dev zlib1g-dev libclang-rt-14-dev libdw-dev libelf-dev libcapstone-dev libjansson-dev python3 clang procps"
# the native symbol tests: libc's separate debug file (found by build-id under
# /usr/lib/debug), binutils and xz to split, strip and compress test libraries' symbols
PKGS="$PKGS libc6-dbg binutils xz-utils"
# node and npm run the DAP tests (tests/dap): Debian's, unless some node/npm is on PATH already
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"

missing=""
for p in $PKGS; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
missing="${missing# }"

if [ -n "$missing" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
            SUDO="sudo -n"
        else
            echo "setup: missing Debian packages: $missing" >&2
            echo "setup: install them as root with:" >&2
            echo "  apt-get update && apt-get install -y --no-install-recommends $missing" >&2
            exit 1
        fi
    else
        SUDO=""
    fi
    echo "setup: installing $missing"
    # Wait for a concurrent apt/dpkg instead of failing at once on its lock.
    APT_OPTS="-o DPkg::Lock::Timeout=300"
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    if ! { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get $APT_OPTS update -qq &&
           $SUDO env DEBIAN_FRONTEND=noninteractive apt-get $APT_OPTS install -y -qq \
               --no-install-recommends $missing; } >"$log" 2>&1; then
        cat "$log" >&2
        echo "setup: apt-get failed" >&2
        exit 1
    fi
    rm -f "$log"
    for p in $missing; do
        if ! dpkg -s "$p" >/dev/null 2>&1; then
            echo "setup: failed to install $p" >&2
            exit 1
        fi
    done
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "setup: error: 'dotnet' is not on PATH; install the .NET SDK (8, 9 or 10) and put" >&2
    echo "setup:        its folder on PATH (and DOTNET_ROOT if it is not /usr/share/dotnet)" >&2
    exit 1
fi

# The DAP tests' client (@vscode/debugadapter-testsupport), as pinned by tests/dap/package-lock.json.
DAP_DIR="$(cd "$(dirname "$0")/.." && pwd)/tests/dap"
if [ ! -f "$DAP_DIR/node_modules/@vscode/debugadapter-testsupport/package.json" ]; then
    echo "setup: installing the DAP test client (npm ci in tests/dap)"
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    if ! npm ci --prefix "$DAP_DIR" --no-audit --no-fund >"$log" 2>&1; then
        cat "$log" >&2
        echo "setup: npm ci --prefix tests/dap failed" >&2
        exit 1
    fi
fi

# dotnet-dump (NuGet), pinned: the post-mortem tests check that a dump it collects opens
# (tests/e2e/test_gcore.py). Into tests/out/tools; a failed install (no network) is said and
# left to that test to report.
TOOL_DIR="$(cd "$(dirname "$0")/.." && pwd)/tests/out/tools"
if [ ! -x "$TOOL_DIR/dotnet-dump" ]; then
    echo "setup: installing dotnet-dump 10.0.750501 (dotnet tool install) into tests/out/tools"
    mkdir -p "$TOOL_DIR"
    log=$(mktemp)
    if ! dotnet tool install --tool-path "$TOOL_DIR" dotnet-dump --version 10.0.750501 >"$log" 2>&1; then
        tail -5 "$log" >&2
        echo "setup: warning: dotnet-dump could not be installed; its post-mortem test will fail saying so" >&2
    fi
    rm -f "$log"
fi
