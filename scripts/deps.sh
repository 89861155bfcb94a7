#!/bin/sh
# Install the Debian packages Accord needs, if any is missing (README, "Setup").
# Quiet and quick when everything is there; `make`, `make test` run it first.
set -eu
PKGS="flex bison make gcc pkg-config libcriterion-dev libjansson-dev llvm-16-dev libz3-dev"
# chromium and nodejs: the report tests render the HTML pages in a real browser,
# driven through the DevTools protocol by tests/report/browse.js
PKGS="$PKGS chromium nodejs"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
