#!/usr/bin/env bash
#
# setup.sh: install what Laminar needs on Debian 12 and build it.
#
# Idempotent: packages already installed are not touched (apt-get update runs
# only when a missing package has to be installed and the package lists are
# absent or stale), autoreconf runs only when configure is missing or older
# than configure.ac, configure only when the build is not configured or
# configure changed, and make only rebuilds what changed.
#
# Usage: scripts/setup.sh            (as root on a fresh machine)
# Environment:
#   LM_SKIP_APT=1             skip the package step (e.g. an unprivileged developer)
#   LM_CONFIGURE_FLAGS="..."  extra ./configure arguments (e.g. --enable-asan);
#                             a change of flags reconfigures
#   LM_QUIET=1                less chatter (used by start.sh/test.sh)
set -euo pipefail

cd "$(dirname "$0")/.."
SRCDIR=$(pwd)

say() { [ "${LM_QUIET:-0}" = 1 ] || echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 1; }

# Everything the build, the server and the test suite use (DESIGN.md §2, §11).
PACKAGES=(
    build-essential autoconf automake libtool pkg-config
    libpg-query-dev libprotobuf-c-dev librdkafka-dev librocksdb-dev libmimalloc-dev
    libssl-dev libpq-dev libjansson-dev libmicrohttpd-dev libcurl4-openssl-dev
    libavro-dev libsimdjson-dev libpcre2-dev
    postgresql postgresql-client
    python3 python3-psycopg2 python3-psycopg python3-sqlalchemy
    libpostgresql-jdbc-java default-jdk-headless nodejs npm
    kcat curl openssl wrk
)

missing_packages() {
    local p status
    for p in "${PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
        case "$status" in
        ii*) continue ;;
        esac
        # NodeSource's nodejs bundles npm and conflicts with Debian's npm package:
        # an npm command that is already there is good enough.
        if [ "$p" = npm ] && command -v npm >/dev/null; then
            continue
        fi
        echo "$p"
    done
}

# True when the apt lists are missing or older than a day.
apt_lists_stale() {
    local lists=/var/lib/apt/lists
    if ! compgen -G "$lists/*_Packages*" >/dev/null; then
        return 0
    fi
    [ -n "$(find "$lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 -print -quit)" ] && return 1
    return 0
}

install_packages() {
    local missing
    missing=$(missing_packages | tr '\n' ' ')
    if [ -z "${missing// /}" ]; then
        say "all packages present"
        return 0
    fi
    if ! command -v apt-get >/dev/null; then
        die "missing packages ($missing) and no apt-get: this script targets Debian 12"
    fi
    local SUDO=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null; then
            SUDO="sudo"
        else
            die "missing packages: $missing; run as root (or set LM_SKIP_APT=1 and install them yourself)"
        fi
    fi
    say "installing: $missing"
    export DEBIAN_FRONTEND=noninteractive
    if apt_lists_stale; then
        $SUDO apt-get update -q
    fi
    # shellcheck disable=SC2086
    if ! $SUDO apt-get install -y -q $missing; then
        # A candidate may have vanished from stale lists: refresh once and retry.
        say "install failed; refreshing package lists and retrying"
        $SUDO apt-get update -q
        # shellcheck disable=SC2086
        $SUDO apt-get install -y -q $missing
    fi
    missing=$(missing_packages | tr '\n' ' ')
    [ -z "${missing// /}" ] || die "still missing after apt-get install: $missing"
}

build() {
    # Unit test list for automake (regress/unit/test_*.c); rewritten only when it changes.
    bash regress/unit/gen-tests.sh

    # aclocal needs the m4 directory named by ACLOCAL_AMFLAGS even when it is empty.
    mkdir -p m4
    if [ ! -x configure ] || [ configure.ac -nt configure ]; then
        say "autoreconf -fi"
        autoreconf -fi
    fi

    local flags="${LM_CONFIGURE_FLAGS:-}"
    local stamp=build-aux/lm-configure-flags  # build-aux/ is git-ignored
    if [ ! -f Makefile ] || [ ! -f config.status ] || [ configure -nt config.status ] ||
        [ "$(cat "$stamp" 2>/dev/null)" != "$flags" ]; then
        say "./configure $flags"
        # shellcheck disable=SC2086
        ./configure -q $flags
        printf '%s' "$flags" >"$stamp"
    fi

    say "make -j$(nproc)"
    make -s -j"$(nproc)"
}

if [ "${LM_SKIP_APT:-0}" != 1 ]; then
    install_packages
fi
build
say "build complete: $SRCDIR/laminard"
