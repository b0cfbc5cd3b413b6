#!/usr/bin/env bash
# install-deps.sh PROFILE... - make sure the Debian packages procsearch needs are present.
#
# Profiles: build (compile and run), test (build + test framework), bench (peers and tools
# for `make bench`).  Missing packages are installed with apt-get when we are root; otherwise
# the exact command is printed and we fail, so nothing is ever installed behind a user's back.
set -euo pipefail

build_pkgs=(build-essential pkg-config libicu-dev libxapian-dev xapian-tools libjansson-dev libmicrohttpd-dev libzstd-dev)
# libcurl: the HTTP client of the server tests; nodejs + chromium: the browser test of the
# search page (tests/browser, driven by playwright-core from npm against Debian's Chromium).
test_pkgs=(libcriterion-dev libcurl4-openssl-dev nodejs chromium)
bench_pkgs=(sqlite3 libsqlite3-dev liblucene8-java default-jdk-headless wrk gnuplot-nox valgrind jq time)

want=()
for profile in "${@:-build}"; do
    case "$profile" in
        build) want+=("${build_pkgs[@]}") ;;
        test)  want+=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
        bench) want+=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
        *) echo "install-deps.sh: unknown profile '$profile' (build, test, bench)" >&2; exit 2 ;;
    esac
done

missing=()
for pkg in "${want[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) case " ${missing[*]-} " in *" $pkg "*) ;; *) missing+=("$pkg") ;; esac ;;
    esac
done

# npm ships inside some builds of nodejs (NodeSource's) and as Debian's own package
# elsewhere; ask for Debian's only where no npm is found, as the two conflict.
case " ${want[*]} " in
    *" nodejs "*) command -v npm >/dev/null 2>&1 || missing+=(npm) ;;
esac

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "procsearch needs these Debian packages: ${missing[*]}" >&2
    echo "install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A stale package list makes installs fail on a fresh machine; refresh it once.
apt-get update -qq >&2 || true
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
