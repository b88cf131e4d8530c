"""What the emulated Trezor checks in a request: path, coin, script type, the PIN matrix.

Split from ``trezor_device`` so the state machine stays readable; these are plain
functions of the decoded request records.
"""

from __future__ import annotations

import secrets

from signing.crypto.addresses import MAINNET, REGTEST, TESTNET, Network, ScriptType
from signing.emulator.trezor_codec import Record
from signing.emulator.trezor_messages import FailureType, InputScriptType

MAX_PATH_DEPTH = 8

# coin name -> (network, xpub version per script type), as the firmware's coin table has them
COINS: dict[str, tuple[Network, dict[InputScriptType, int]]] = {
    "Bitcoin": (
        MAINNET,
        {
            InputScriptType.SPENDADDRESS: 0x0488B21E,
            InputScriptType.SPENDP2SHWITNESS: 0x049D7CB2,
            InputScriptType.SPENDWITNESS: 0x04B24746,
        },
    ),
    "Testnet": (
        TESTNET,
        {
            InputScriptType.SPENDADDRESS: 0x043587CF,
            InputScriptType.SPENDP2SHWITNESS: 0x044A5262,
            InputScriptType.SPENDWITNESS: 0x045F1CF6,
        },
    ),
    "Regtest": (
        REGTEST,
        {
            InputScriptType.SPENDADDRESS: 0x043587CF,
            InputScriptType.SPENDP2SHWITNESS: 0x044A5262,
            InputScriptType.SPENDWITNESS: 0x045F1CF6,
        },
    ),
}
# coin name -> SLIP-44 coin type (the second level of a BIP-44/48/49/84/86 path)
COIN_TYPES = {"Bitcoin": 0, "Testnet": 1, "Regtest": 1}
_HARDENED = 0x80000000
_COIN_TYPED_PURPOSES = frozenset(purpose + _HARDENED for purpose in (44, 48, 49, 84, 86))
_CASA_PURPOSE = 49  # m/49/coin_type/...: the same, unhardened
_BITCOIN_ONLY_ROOTS = frozenset((1, 4, 3 + _HARDENED, 1195487518))  # GreenAddress
SCRIPT_TYPES = {
    InputScriptType.SPENDADDRESS: ScriptType.P2PKH,
    InputScriptType.SPENDP2SHWITNESS: ScriptType.P2SH_P2WPKH,
    InputScriptType.SPENDWITNESS: ScriptType.P2WPKH,
}


class DeviceFailure(Exception):
    """Answer the current request with ``Failure(code, message)``."""

    def __init__(self, code: FailureType, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class PinMatrix:
    """The scrambled 3x3 keypad: position p (1..9, laid out 7 8 9 / 4 5 6 / 1 2 3 as on the
    host keypad) shows digit ``digits[p - 1]``."""

    def __init__(self) -> None:
        digits = list("123456789")
        for i in range(len(digits) - 1, 0, -1):
            j = secrets.randbelow(i + 1)
            digits[i], digits[j] = digits[j], digits[i]
        self.digits = "".join(digits)

    def positions_for(self, pin: str) -> str:
        """What a user types on the host keypad to enter ``pin`` (tests, operator)."""
        return "".join(str(self.digits.index(d) + 1) for d in pin)

    def decode(self, positions: str) -> str | None:
        if not positions or any(c not in "123456789" for c in positions):
            return None
        return "".join(self.digits[int(c) - 1] for c in positions)

    def rows(self) -> list[str]:
        """The device screen, top row first."""
        return [
            " ".join(self.digits[p - 1] for p in row) for row in ((7, 8, 9), (4, 5, 6), (1, 2, 3))
        ]


def request_path(record: Record) -> tuple[int, ...]:
    raw = record.get("address_n", [])
    assert isinstance(raw, list)
    path = tuple(int(i) for i in raw if isinstance(i, int))
    if len(path) > MAX_PATH_DEPTH:
        raise DeviceFailure(FailureType.DataError, "Forbidden key path")
    return path


def request_coin(record: Record) -> tuple[Network, dict[InputScriptType, int]]:
    coin = record.get("coin_name", "Bitcoin")
    found = COINS.get(str(coin))
    if found is None:
        raise DeviceFailure(FailureType.DataError, "Invalid coin name")
    return found


def check_coin_path(record: Record, path: tuple[int, ...]) -> None:
    """Refuse a key path of another coin, as the firmware does with its default safety
    checks (strict): legacy ``coin_path_check`` at level BASIC, so m/44'/1'/... cannot
    sign or show an address as ``Bitcoin``, nor m/84'/0'/... as ``Testnet``. Path shapes
    the firmware does not know pass (it would show an "unknown path" warning)."""
    coin_type = COIN_TYPES[str(record.get("coin_name", "Bitcoin"))] + _HARDENED
    if not path:
        return
    if path[0] in _COIN_TYPED_PURPOSES:
        allowed = len(path) >= 2 and path[1] == coin_type
    elif path[0] == _CASA_PURPOSE:
        allowed = len(path) >= 2 and path[1] | _HARDENED == coin_type
    elif path[0] in _BITCOIN_ONLY_ROOTS:
        allowed = coin_type == _HARDENED  # Bitcoin's coin type 0
    else:
        return
    if not allowed:
        raise DeviceFailure(FailureType.DataError, "Forbidden key path")


def request_script(record: Record, *, allow_taproot: bool) -> InputScriptType:
    raw = record.get("script_type", 0)
    try:
        script = InputScriptType(int(raw) if isinstance(raw, int) else -1)
    except ValueError as exc:
        raise DeviceFailure(FailureType.DataError, "Unsupported script type") from exc
    if script in SCRIPT_TYPES or (allow_taproot and script is InputScriptType.SPENDTAPROOT):
        return script
    raise DeviceFailure(FailureType.DataError, "Unsupported script type")
