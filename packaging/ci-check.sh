#!/usr/bin/env bash
# CI's packaging check: build the frozen app and the .deb, then run the frozen
# `--version` and `self-test` offscreen and check the .deb carries what it must.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
bash packaging/build.sh
frozen=packaging/dist/custody-desk/custody-desk
want=$(.venv/bin/python -c 'import app; print(app.__version__)')
got=$("$frozen" --version)
[ "$got" = "custody-desk $want" ] || { echo "frozen --version says '$got', expected '$want'"; exit 1; }
echo "frozen --version: $got"
"$frozen" self-test
if "$frozen" emulator --trezor-port 0 >/dev/null 2>&1; then
  echo "the production build started the test emulator without the test flag"; exit 1
fi
echo "frozen build refuses the emulator without --allow-test-emulator"
deb=$(ls packaging/dist/custody-desk_"$want"_*.deb)
contents=$(dpkg-deb -c "$deb")
for path in ./usr/lib/udev/rules.d/51-custody-desk.rules \
  ./usr/share/applications/com.custodydesk.CustodyDesk.desktop \
  ./usr/share/metainfo/com.custodydesk.CustodyDesk.metainfo.xml \
  ./usr/share/icons/hicolor/scalable/apps/com.custodydesk.CustodyDesk.svg \
  ./usr/share/icons/hicolor/256x256/apps/com.custodydesk.CustodyDesk.png \
  ./usr/bin/custody-desk ./opt/custody-desk/custody-desk; do
  grep -q " $path" <<<"$contents" || { echo "missing from the .deb: $path"; exit 1; }
done
if grep -qE '/(tests|pytest|_pytest|hypothesis)/' <<<"$contents"; then
  echo "test-only parts leaked into the .deb"; exit 1
fi
echo "package check passed: $deb"
