#!/usr/bin/env bash
# Installs the system libraries Qt and hidapi need, when they are missing and we may (root + apt).
# A desktop workstation usually has them all; a bare CI image may not.
# With --test it adds what only the test suite needs: the PostgreSQL server the shared-desk
# tests start a throwaway instance of (initdb/pg_ctl in a temp dir).
set -eu
needed=(appstream desktop-file-utils libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1)
if [ "${1:-}" = "--test" ]; then
  needed+=(postgresql)
fi
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "note: missing system packages (install them with your package manager): ${missing[*]}" >&2
fi
