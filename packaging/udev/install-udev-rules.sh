#!/usr/bin/env bash
# Installs Custody Desk's udev rules so Trezor and Coldcard-protocol devices are found
# without running the desk as root. Run once per workstation, as root:
#   sudo packaging/udev/install-udev-rules.sh
# Then unplug and replug the device. --uninstall removes the rules again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=/etc/udev/rules.d/51-custody-desk.rules
if [ "$(id -u)" -ne 0 ]; then
  echo "run as root: sudo $0 $*" >&2
  exit 1
fi
if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$target"
else
  install -m 0644 "$here/51-custody-desk.rules" "$target"
  getent group plugdev >/dev/null || groupadd --system plugdev
fi
if command -v udevadm >/dev/null; then
  udevadm control --reload-rules
  udevadm trigger --subsystem-match=usb --subsystem-match=hidraw || true
fi
echo "done: ${1:---install} $target. Replug the device."
