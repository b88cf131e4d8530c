"""The real window under Xvfb with a window manager, driven with xdotool as a person
would (keys and clicks, no test hooks), saved as docs/screenshots/xvfb-*.png.

Needs Debian's xvfb, xdotool, imagemagick, openbox (and fonts-noto-cjk for Chinese):

    .venv/bin/python tests/xvfb_screenshots.py

Starts Xvfb :99 (1600x900) and openbox, runs the desk on a fresh data dir in English
and then in Chinese, and stops all three. Every wait polls the screen state (window
titles), so it needs no fixed timing beyond small settling pauses.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
DISPLAY = ":99"
ENV = {**os.environ, "DISPLAY": DISPLAY, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}


def run(*argv: str) -> str:
    return subprocess.run(argv, env=ENV, capture_output=True, text=True, check=False).stdout


def windows(name: str) -> list[str]:
    """Visible windows whose title matches ``name`` (a regex)."""
    return run("xdotool", "search", "--onlyvisible", "--name", name).split()


def wait_window(name: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = windows(name)
        if found:
            time.sleep(0.6)  # let it paint
            return found[-1]
        time.sleep(0.2)
    raise TimeoutError(f"no window named {name!r}")


def wait_gone(name: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while windows(name) and time.monotonic() < deadline:
        time.sleep(0.2)


def key(window: str, *keys: str) -> None:
    run("xdotool", "windowactivate", "--sync", window)
    for k in keys:
        run("xdotool", "key", "--clearmodifiers", k)
        time.sleep(0.3)


def click(x: int, y: int) -> None:
    run("xdotool", "mousemove", str(x), str(y), "click", "1")
    time.sleep(0.5)


def geometry(window: str) -> tuple[int, int, int, int]:
    """x, y, width, height of ``window``'s client area on the screen (xwininfo's absolute
    corner: xdotool's is off by the window manager's title bar)."""
    info = {}
    for line in run("xwininfo", "-id", window).splitlines():
        name, _, value = line.strip().partition(":")
        info[name] = value.strip()
    return (int(info["Absolute upper-left X"]), int(info["Absolute upper-left Y"]),
            int(info["Width"]), int(info["Height"]))


def start_emulator(offer: str) -> None:
    """Press the offer's *Start test emulator* (left of the default *Not now*)."""
    run("xdotool", "windowactivate", "--sync", offer)
    time.sleep(0.5)
    for _ in range(5):  # until the offer closes (the window manager may still be placing it)
        x, y, width, height = geometry(offer)
        click(x + width - 176, y + height - 24)
        time.sleep(1.5)
        if offer not in windows("."):
            return


def shot(name: str, window: str | None = None, crop: str | None = None) -> None:
    """The screen (or ``window``), cropped to ``crop`` (WxH+X+Y in it) when given."""
    path = OUT / f"xvfb-{name}.png"
    run("import", "-window", window or "root", str(path))
    if crop:
        run("convert", str(path), "-crop", crop, "+repage", str(path))
    print("wrote", path)


@contextmanager
def display() -> Iterator[None]:
    xvfb = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", "1600x900x24", "-nolisten", "tcp"])
    time.sleep(1)
    wm = subprocess.Popen(["openbox"], env=ENV, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    time.sleep(1)
    try:
        yield
    finally:
        wm.terminate()
        xvfb.terminate()
        wm.wait(5)
        xvfb.wait(5)


@contextmanager
def desk(data: Path, lang: str) -> Iterator[subprocess.Popen[bytes]]:
    env = {**ENV, "CUSTODY_DESK_LANG": lang}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "--data-dir", str(data)], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def english(data: Path) -> None:
    with desk(data, "en"):
        offer = wait_window("No signing device found")
        shot("first-run-emulator-offer")
        # "Start test emulator" (with the demo officers ticked): alice is signed in
        start_emulator(offer)
        wait_gone("No signing device found")
        main = wait_window("^Custody Desk$")
        time.sleep(2)
        shot("holdings-signed-in")
        # sort by collateral ratio: the label keeps clear of the sort arrow
        x, y, _w, _h = geometry(main)
        click(x + 500, y + 162)
        time.sleep(0.8)
        shot("sorted-header", main, crop="760x60+200+140")
        # prepare for the selected client twice: the second asks about the duplicate
        key(main, "ctrl+2")
        key(main, "ctrl+shift+p")
        time.sleep(2)
        key(main, "ctrl+shift+p")
        wait_window("Duplicate attestation")
        shot("duplicate-attestation")
        key(wait_window("Duplicate attestation"), "Escape")
        # Settings → Keys: add a Bitcoin multisig account key or a Safe owner
        key(main, "ctrl+comma")
        settings = wait_window("Desk settings")
        key(settings, "ctrl+Tab")
        time.sleep(0.5)
        shot("settings-keys", settings)
        key(settings, "Escape")
        # the smallest window: the status bar's message still reads whole
        run("xdotool", "windowsize", main, "1100", "640")
        time.sleep(1)
        key(main, "ctrl+1", "F5")
        time.sleep(1.5)
        shot("minimum-size", main)
        run("xdotool", "windowsize", main, "1440", "810")
        time.sleep(1)
        # ask on the emulator screen, then switch to bob: his device screen asks beside
        key(main, "ctrl+5")
        key(main, "ctrl+alt+s")
        key(main, "alt+s")  # Switch officer…
        signin = wait_window("^Sign in$")
        key(signin, "alt+o", "Down", "alt+s")
        screen = wait_window("EMULATOR — device screen")
        shot("device-screen-beside-window")
        key(screen, "alt+a")  # Approve
        wait_gone("EMULATOR — device screen")
        time.sleep(1)


def chinese(data: Path) -> None:
    with desk(data, "zh_CN"):
        offer = wait_window(".")
        time.sleep(2)
        # the emulators the desk started before come back (offered)
        found = windows("未找到签名设备")
        if found:
            start_emulator(found[-1])
            time.sleep(3)
        main = wait_window("^托管工作台$")
        del offer
        time.sleep(2)
        shot("holdings-zh_CN")
        run("xdotool", "windowsize", main, "1100", "640")
        time.sleep(1)
        key(main, "ctrl+4")
        time.sleep(1)
        shot("minimum-size-zh_CN", main)


def main() -> None:
    global OUT  # noqa: PLW0603 - a one-shot script: the folder to write to
    if len(sys.argv) > 1:
        OUT = Path(sys.argv[1])
    for tool in ("Xvfb", "xdotool", "import", "openbox"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install xvfb xdotool imagemagick openbox")
    OUT.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="desk-xvfb-"))
    with display():
        english(data)
        chinese(data)


if __name__ == "__main__":
    main()
