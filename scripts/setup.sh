#!/usr/bin/env bash
# Installs the Debian packages sipas builds against, if any is missing. Run as root on Debian 12 with Swift
# installed. Safe to run again: it does nothing when everything is present.
set -euo pipefail
packages=(liblapack-dev libopenblas-dev liblapacke-dev r-mathlib libedit-dev tmux libxlsxwriter-dev libexpat1-dev zlib1g-dev libreadstat-dev libsqlite3-dev unzip chromium less)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (install Swift 6 first)" >&2; exit 1; }
