#!/usr/bin/env bash
# Builds the frozen one-folder app (PyInstaller) and a .deb that installs it with its
# udev rules, desktop entry, AppStream metainfo and icons.
#   packaging/build.sh            -> packaging/dist/custody-desk/ and packaging/dist/custody-desk_<ver>_<arch>.deb
#   packaging/build.sh --no-deb   -> only the frozen folder
# Uses the project's .venv (make test creates it); installs PyInstaller into it if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PY:-$ROOT/.venv/bin/python}
APP_ID=com.custodydesk.CustodyDesk
VERSION=$("$PY" -c 'import app; print(app.__version__)')
DIST=$ROOT/packaging/dist
WORK=$ROOT/packaging/build
mkdir -p "$DIST" "$WORK"

"$PY" -c 'import PyInstaller' 2>/dev/null || "$PY" -m pip install --quiet 'pyinstaller>=6.10'

# The frozen build is a production build: it refuses the test emulator without the test flag.
echo production > "$WORK/_build_kind.txt"
export CUSTODY_DESK_BUILD_KIND_FILE=$WORK/_build_kind.txt
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$WORK/pyinstaller" packaging/custody-desk.spec
echo "frozen build: $DIST/custody-desk ($(( $(date +%s) - start )) s)"

[ "${1:-}" = "--no-deb" ] && exit 0

arch=$(dpkg --print-architecture)
stage=$WORK/deb
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/metainfo" "$stage/usr/lib/udev/rules.d"
cp -a "$DIST/custody-desk" "$stage/opt/custody-desk"
ln -s /opt/custody-desk/custody-desk "$stage/usr/bin/custody-desk"
install -m 0644 packaging/linux/$APP_ID.desktop "$stage/usr/share/applications/"
install -m 0644 packaging/linux/$APP_ID.metainfo.xml "$stage/usr/share/metainfo/"
install -m 0644 packaging/udev/51-custody-desk.rules "$stage/usr/lib/udev/rules.d/"
for dir in resources/icons/hicolor/*/apps; do
  size=$(basename "$(dirname "$dir")")
  mkdir -p "$stage/usr/share/icons/hicolor/$size/apps"
  cp "$dir"/$APP_ID.* "$stage/usr/share/icons/hicolor/$size/apps/"
done
cat > "$stage/DEBIAN/control" <<CONTROL
Package: custody-desk
Version: $VERSION
Architecture: $arch
Maintainer: Custody Desk engineering <desk@custodydesk.com>
Section: misc
Priority: optional
Depends: libegl1, libgl1, libxkbcommon0, libxkbcommon-x11-0, libfontconfig1, libdbus-1-3, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, libxcb-render-util0, libxcb-shape0, libxcb-randr0, libxcb-xkb1
Description: Custody operations desk for mirrored collateral
 Review holdings, approve Merkle attestations and sign them on a hardware wallet
 (Trezor or a Coldcard-protocol HID module), work margin calls and co-sign
 emergency 2-of-3 unfreeze orders.
CONTROL
cat > "$stage/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if command -v udevadm >/dev/null 2>&1; then
  udevadm control --reload-rules || true
  udevadm trigger --subsystem-match=usb --subsystem-match=hidraw || true
fi
getent group plugdev >/dev/null || groupadd --system plugdev || true
exit 0
POSTINST
chmod 0755 "$stage/DEBIAN/postinst"
deb=$DIST/custody-desk_${VERSION}_${arch}.deb
dpkg-deb --root-owner-group --build "$stage" "$deb" >/dev/null
echo "package: $deb"
